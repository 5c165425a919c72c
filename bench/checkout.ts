/**
 * `npm run bench:checkout`: paid checkouts under load, on the real PostgreSQL and Redis, against the built app.
 * Buyers who hold seats and were admitted by the waiting room pay (POST /api/checkout with an Idempotency-Key and
 * pm_card_visa), 16 at a time (closed loop). Reported: paid checkouts/s, p50/p99, CPU milliseconds per paid
 * checkout of the app, PostgreSQL and Redis (from /proc), and the SQL statements and commits per paid checkout.
 *
 * Statements and commits are counted by a second app instance whose database connections go through a counting
 * proxy (bench/lib/pg-count-proxy.ts), after the timed phase: pg_stat_statements is not loaded on this server (it
 * needs shared_preload_libraries and a restart), and the proxy's hop must not be in the timed figures.
 *
 * Settings: BENCH_SECONDS (8), BENCH_WARMUP_SECONDS (2), BENCH_CHECKOUT_CONCURRENCY (16), BENCH_CHECKOUTS (holds
 * prepared for the timed phase, 4000), BENCH_COUNT_CHECKOUTS (200, counted through the proxy), BENCH_STRIPE=1 (pay
 * through the real Stripe SDK against the fake Stripe server of the tests instead of the simulated gateway),
 * BENCH_NICE (5), BENCH_SERVICES=own (a PostgreSQL and a Redis of the benchmark's own), BENCH_WAIT_QUIET=seconds,
 * METRICS_TOKEN, BENCH_PROFILE=dir.
 */
import { cpus } from 'node:os';
import { auditInventory, placeHold } from '@/lib/inventory';
import { ensureBuilt, startAppServer, TEST_SECRETS, type AppServer } from '../tests/support/app-server';
import { startFakeStripe, type FakeStripe } from '../tests/support/fake-stripe';
import { createStadium } from '../tests/support/fixtures';
import { testDeps } from '../tests/support/inventory';
import { freePort } from '../tests/support/redis-process';
import { admitBuyers, createBuyers, type Buyer } from './lib/accounts';
import { benchAppEnv, benchChecks, benchMeter, benchMetricsToken, lowerPriority, writeResults } from './lib/app-bench';
import { settle } from './lib/cpu';
import { once, requestBytes, runClosed, targetOf, type Prepared, type Target } from './lib/lean-http';
import { PgCountProxy, type Counts } from './lib/pg-count-proxy';
import { details, fmt, otherCores, perRequest, runPhase, table, type PhaseResult, type Target_ } from './lib/phases';
import { profileArgs } from './lib/profile';
import { eventSeatIds, freshDatabase, readyForTimings, redisCoordinator } from './lib/setup';
import { benchServices, runBench } from './lib/bench-services';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2) * 1000;
const CONCURRENCY = Number(process.env.BENCH_CHECKOUT_CONCURRENCY ?? 16);
const HOLDS = Number(process.env.BENCH_CHECKOUTS ?? 4_000);
const COUNTED = Number(process.env.BENCH_COUNT_CHECKOUTS ?? 200);
const NICE = Number(process.env.BENCH_NICE ?? 5);
const DB_NAME = 'admitone_bench_checkout';

type Paying = { buyer: Buyer; holdId: string };

/** Checkout requests, one per prepared hold, each with a new Idempotency-Key; null when the holds run out. */
function checkouts(target: Target, eventId: string, queue: Paying[]) {
  let next = 0;
  return {
    get used() {
      return next;
    },
    next: (): Prepared<Paying> | null => {
      const p = queue[next++];
      if (!p) return null;
      const headers = `${p.buyer.headers.get(eventId)!}Idempotency-Key: ${crypto.randomUUID()}\r\n`;
      return {
        bytes: requestBytes(
          target,
          'POST',
          '/api/checkout',
          headers,
          JSON.stringify({ holdId: p.holdId, paymentMethodId: 'pm_card_visa' }),
        ),
        tag: p,
      };
    },
  };
}

async function main() {
  const startedAt = Date.now();
  Object.assign(process.env, TEST_SECRETS);
  const services = await benchServices();
  const redisUrl = services.redisUrl;
  const metricsToken = benchMetricsToken();
  const total = HOLDS + COUNTED + 33;

  console.log(
    `Preparing: fresh database, a 50,800-seat stadium event, ${total.toLocaleString('en-US')} admitted buyers holding 2 seats each…`,
  );
  const { handle, url: databaseUrl } = await freshDatabase(DB_NAME);
  const db = handle.db;
  const stadium = await createStadium(db);
  const eventId = await stadium.publish({
    name: 'Bench Checkout',
    performer: 'Bench',
    perOrderLimit: 6,
    perAccountLimit: 8,
    holdMinutes: 30,
    queueCapacity: 100_000,
  });
  const seats = await eventSeatIds(db, eventId);
  if (seats.length < total * 2)
    throw new Error(`${total} holds of 2 seats need ${total * 2} seats; the event has ${seats.length}`);
  const buyers = await createBuyers(db, total);
  await admitBuyers(buyers, eventId);
  // The holds, placed in this process through the app's own placeHold (Redis claims and PostgreSQL rows alike).
  const coordinator = redisCoordinator(redisUrl);
  const deps = testDeps(handle, coordinator);
  const paying: Paying[] = new Array(total);
  for (let i = 0; i < total; i += 32) {
    await Promise.all(
      buyers.slice(i, i + 32).map(async (buyer, k) => {
        const n = i + k;
        const hold = await placeHold(deps, {
          eventId,
          userId: buyer.id,
          seatIds: [seats[2 * n]!, seats[2 * n + 1]!],
        });
        paying[n] = { buyer, holdId: hold.id };
      }),
    );
  }
  await coordinator.close();
  await readyForTimings(db);
  console.log(`  prepared in ${fmt((Date.now() - startedAt) / 1000, 1)} s`);

  let fake: FakeStripe | undefined;
  if (process.env.BENCH_STRIPE === '1') fake = await startFakeStripe();
  const appEnv = (url: string): Record<string, string> => ({
    ...benchAppEnv(url, redisUrl, metricsToken),
    ...(fake
      ? { STRIPE_SECRET_KEY: fake.secretKey, STRIPE_WEBHOOK_SECRET: fake.webhookSecret, STRIPE_API_URL: fake.url }
      : {}),
  });

  console.log('Building (if needed) and starting the app…');
  await ensureBuilt({ bench: true });
  let app: AppServer | undefined = await startAppServer(await freePort(), appEnv(databaseUrl), {
    nodeArgs: profileArgs(),
  });
  let counting: AppServer | undefined;
  const proxy = new PgCountProxy({
    host: new URL(databaseUrl).hostname,
    port: Number(new URL(databaseUrl).port || 5432),
  });
  const { ctx, meter, stats } = await benchMeter({
    databaseUrl,
    redisUrl,
    database: DB_NAME,
    servers: { app: app.pid },
    metrics: { baseUrl: app.url, token: metricsToken },
  });
  lowerPriority(NICE);

  try {
    const target = targetOf(app.url);
    await settle(meter);
    const timed = paying.slice(0, HOLDS);
    const source = checkouts(target, eventId, timed);
    console.log(
      `Measuring: ${CONCURRENCY} buyers paying at once (closed loop, ${WARMUP_MS / 1000} s warm-up + ${SECONDS} s, ${HOLDS} holds ready)…`,
    );
    const phase = await runPhase(ctx, {
      key: 'checkout',
      name: `paid checkouts (${CONCURRENCY} at once)`,
      server: 'app',
      target,
      next: source.next,
      mode: 'closed',
      connections: CONCURRENCY,
      warmupMs: WARMUP_MS,
      durationMs: SECONDS * 1000,
    });
    const paid = phase.load.statuses['201'] ?? 0;
    phase.per = { 'paid checkout': paid };
    const ranOut = source.used >= HOLDS;
    if (ranOut)
      phase.notes.push(
        `the ${HOLDS} prepared holds ran out before the time did (raise BENCH_CHECKOUTS): the window is ${fmt(phase.cpu.windowMs / 1000, 1)} s`,
      );
    phase.notes.push(
      `payments through ${fake ? 'the Stripe SDK against the fake Stripe server (in this process: its CPU is in "gen")' : 'the simulated gateway (in the app process)'}`,
    );
    console.log(`  ${fmt(phase.load.rps, 0)} req/s, ${paid} paid, p99 ${fmt(phase.load.latency.p99, 1)} ms`);

    // --- Statements and commits per paid checkout, through the counting proxy --------------------------------------
    console.log(
      `Counting SQL statements and commits: a second app instance through a counting proxy, ${COUNTED} checkouts…`,
    );
    await app.stop();
    app = undefined;
    const proxyPort = await proxy.listen();
    const proxied = new URL(databaseUrl);
    proxied.port = String(proxyPort);
    counting = await startAppServer(await freePort(), appEnv(proxied.toString()));
    const countTarget = targetOf(counting.url);
    const rest = paying.slice(HOLDS);
    // Warm its caches and fill its pool (each new connection looks up types first) with 32 checkouts, uncounted.
    const warm = checkouts(countTarget, eventId, rest.slice(0, 32));
    await runClosed({
      name: 'warm',
      target: countTarget,
      connections: CONCURRENCY,
      warmupMs: 0,
      durationMs: 30_000,
      next: warm.next,
    });
    await new Promise((r) => setTimeout(r, 1_500));
    // What the instance does with no requests (background jobs), to subtract.
    proxy.counting = true;
    proxy.reset();
    const idleStarted = performance.now();
    await new Promise((r) => setTimeout(r, 3_000));
    const idle = proxy.reset();
    const idleMs = performance.now() - idleStarted;
    // One checkout alone, traced, to show what a checkout sends.
    proxy.trace = [];
    const single = checkouts(countTarget, eventId, rest.slice(32, 33));
    const one = await once(countTarget, single.next()!.bytes, false);
    const answeredAt = performance.now();
    await new Promise((r) => setTimeout(r, 300));
    const trace = proxy.trace;
    proxy.trace = null;
    proxy.reset();
    const counted = checkouts(countTarget, eventId, rest.slice(33, 33 + COUNTED));
    const statuses: Record<string, number> = {};
    const countStarted = performance.now();
    const countRun = await runClosed({
      name: 'counted',
      target: countTarget,
      connections: CONCURRENCY,
      warmupMs: 0,
      durationMs: 60_000,
      next: counted.next,
      onAnswer: (_t, a) => {
        const s = String(a?.status ?? 0);
        statuses[s] = (statuses[s] ?? 0) + 1;
      },
    });
    await new Promise((r) => setTimeout(r, 1_000)); // work a checkout leaves for after its answer (e-mail outbox)
    const counts = proxy.reset();
    proxy.counting = false;
    const countMs = performance.now() - countStarted;
    const countedPaid = countRun.statuses['201'] ?? 0;
    const scale = countMs / idleMs;
    const per = (n: number, idleN: number) => (n - idleN * scale) / Math.max(1, countedPaid);
    const perCheckout = {
      statements: per(counts.statements, idle.statements),
      nonControl: per(counts.statements - counts.control, idle.statements - idle.control),
      commits: per(counts.commits, idle.commits),
      writingCommits: per(counts.writingCommits, idle.writingCommits),
      rollbacks: per(counts.rollbacks, idle.rollbacks),
    };
    const top = (c: Counts) =>
      [...c.byText.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 25)
        .map(([text, n]) => `    ${fmt(n / Math.max(1, countedPaid), 2).padStart(6)}  ${text}`);

    // --- Checks and targets ----------------------------------------------------------------------------------------
    await new Promise((r) => setTimeout(r, 1_000));
    const audit = await auditInventory(db, new Date(), [eventId]);
    const { lines: checks, check, closing } = benchChecks();
    const notPaid = phase.load.requests - paid;
    check(
      notPaid === 0,
      `timed phase: ${notPaid} answers other than 201 paid: ${JSON.stringify(phase.load.statuses)}; warm-up ${JSON.stringify(phase.load.warmup.statuses)}`,
    );
    check(
      Object.keys(phase.load.errors).length === 0,
      `timed phase: network errors ${JSON.stringify(phase.load.errors)}`,
    );
    check(!ranOut, `prepared holds: ${source.used} of ${HOLDS} used`);
    check(one.status === 201, `traced checkout answered ${one.status}`);
    check(countedPaid === countRun.requests, `counted phase: ${JSON.stringify(countRun.statuses)}`);
    check(
      phase.cpu.generator / phase.cpu.windowMs < 0.5,
      `the load generator used ${fmt(phase.cpu.generator / phase.cpu.windowMs, 2)} cores (of ${cpus().length})`,
    );
    check(
      otherCores(phase) <= 0.1,
      `other work on the machine took ${fmt(otherCores(phase), 2)} cores in the window (${
        phase.others
          .slice(0, 3)
          .map((o) => o.comm)
          .join(', ') || 'short-lived processes'
      })`,
    );
    if (phase.foreignPg.ms > 0.02 * phase.cpu.pg)
      check(false, `other databases' backends used ${fmt(phase.foreignPg.ms, 0)} ms of PostgreSQL CPU in the window`);
    check(
      audit.violations.length === 0,
      `inventory audit: ${audit.violations.length === 0 ? 'clean' : audit.violations.join('; ')}`,
    );

    const paidPerSecond = paid / (phase.cpu.windowMs / 1000);
    const targets: Target_[] = [
      {
        what: `checkout: >= 150 paid checkouts/s at ${CONCURRENCY} concurrent`,
        ok: paidPerSecond >= 150,
        figure: `${fmt(paidPerSecond, 0)}/s (p50 ${fmt(phase.load.latency.p50, 1)} ms, p99 ${fmt(phase.load.latency.p99, 1)} ms)`,
      },
      {
        what: 'checkout: <= 12 SQL statements per paid checkout',
        ok: perCheckout.statements <= 12,
        figure: `${fmt(perCheckout.statements, 1)} (${fmt(perCheckout.nonControl, 1)} without BEGIN/COMMIT)`,
      },
      {
        what: 'checkout: <= 3 commits per paid checkout',
        ok: perCheckout.commits <= 3,
        figure: `${fmt(perCheckout.commits, 2)} committed transactions (every autocommit statement is one)`,
      },
    ];

    const results: PhaseResult[] = [phase];
    console.log(`\n${table(results)}`);
    console.log(`\nPhase:\n${details(results)}`);
    console.log(
      [
        `  per paid checkout: app ${fmt(perRequest(phase, 'server', 'paid checkout'), 3)} ms, PostgreSQL ${fmt(perRequest(phase, 'pg', 'paid checkout'), 3)} ms, Redis ${fmt(perRequest(phase, 'redis', 'paid checkout'), 3)} ms of CPU`,
        '',
        `SQL per paid checkout (${countedPaid} checkouts through the counting proxy in ${fmt(countMs / 1000, 1)} s; the instance's background work, ${idle.statements} statements in ${fmt(idleMs / 1000, 1)} s idle, subtracted):`,
        `  statements ${fmt(perCheckout.statements, 2)} (${fmt(perCheckout.nonControl, 2)} without transaction control), committed transactions ${fmt(perCheckout.commits, 2)} (${fmt(perCheckout.writingCommits, 2)} with an INSERT/UPDATE/DELETE in their statements or tags; writes inside functions do not show), rollbacks ${fmt(perCheckout.rollbacks, 2)}`,
        '  statements by text, per paid checkout:',
        ...top(counts),
        `One checkout alone (answered ${one.status}), its transactions in order:`,
        ...trace
          .filter((t) => t.at <= answeredAt)
          .map(
            (t, i) =>
              `  ${i + 1}. ${t.committed ? 'commit' : 'ROLLBACK'}${t.wrote ? ' (wrote)' : ''}: ${t.statements.map((s) => s.slice(0, 90)).join(' | ')}`,
          ),
        `  and in the 300 ms after its answer (work it left behind, or background jobs): ${trace.filter((t) => t.at > answeredAt).length} transactions${trace
          .filter((t) => t.at > answeredAt)
          .map((t) => `\n    - ${t.statements.map((s) => s.slice(0, 70)).join(' | ')}`)
          .join('')}`,
        ...closing(targets, startedAt),
      ].join('\n'),
    );
    const file = writeResults('checkout', {
      settings: { SECONDS, WARMUP_MS, CONCURRENCY, HOLDS, COUNTED, stripe: Boolean(fake) },
      phase: { ...phase, counters: undefined },
      sql: {
        perCheckout,
        counts: { ...counts, byText: Object.fromEntries(counts.byText) },
        idle: { ...idle, byText: Object.fromEntries(idle.byText), ms: idleMs },
        trace,
      },
      checks,
      targets,
      audit,
    });
    console.log(`Written to ${file}`);
    if (audit.violations.length) process.exitCode = 1;
  } finally {
    await app?.stop();
    await counting?.stop();
    await proxy.close().catch(() => {});
    await fake?.close();
    await stats.end();
    await handle.close();
    await services.stop();
  }
}

runBench(main);
