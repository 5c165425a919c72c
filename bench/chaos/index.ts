/**
 * `npm run chaos -- <scenario>`: a smaller on-sale with a fault injected, on processes the harness owns (its own
 * PostgreSQL cluster, redis-server and app). Each scenario prints PASS/FAIL per criterion with figures and exits
 * non-zero on a FAIL. Scenarios: redis, postgres, crash, webhooks, overload (docs/bench.md); `overload --proxy`
 * runs the overload through nginx with deploy/nginx.conf.
 */
const SCENARIOS = ['redis', 'postgres', 'crash', 'webhooks', 'overload'] as const;

async function main() {
  const name = process.argv[2];
  if (!name || !(SCENARIOS as readonly string[]).includes(name)) {
    console.error(`usage: npm run chaos -- <${SCENARIOS.join('|')}> [--proxy (overload only)]`);
    process.exit(2);
  }
  const scenario = (await import(`./${name}`)) as { run: (args: string[]) => Promise<boolean> };
  const ok = await scenario.run(process.argv.slice(3));
  process.exit(ok ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
