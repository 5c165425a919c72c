/** `npm run bench`: every benchmark, one after the other (each prints its own figures and ratios). */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

// bench:onsale (20,000 buyers, minutes to tens of minutes) and the chaos scenarios run on their own: docs/bench.md.
const benches = ['holds', 'queue', 'search'].filter((name) => existsSync(`bench/${name}.ts`));
let failed = 0;
for (const name of benches) {
  console.log(`\n=== bench:${name}\n`);
  const result = spawnSync('node_modules/.bin/tsx', ['--conditions=react-server', `bench/${name}.ts`], {
    stdio: 'inherit',
  });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
