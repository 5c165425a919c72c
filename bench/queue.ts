/**
 * `npm run bench:queue`: the waiting room under load, on the real PostgreSQL and Redis, against the built app.
 * In one run: the no-op route (baseline), joins and status polls (throughput and p99, and their ratio to the
 * baseline; measured in interleaved slices, p99 is the worst slice's), the gate's token verification in microseconds, and Redis memory per queued visitor for 1,000,000
 * entries, measured on a redis-server of its own on a spare port (stopped afterwards).
 */
import { cpus, loadavg } from 'node:os';
import IORedis from 'ioredis';
import { queueKeys } from '@/lib/queue/store/port';
import { admissionKey, sessionBinding, signAdmissionToken } from '@/lib/queue/admission-token';
import { admissionCookieName } from '@/lib/queue/cookies';
import { checkAdmission } from '@/lib/queue/gate';
import { ensureBuilt, startAppServer } from '../tests/support/app-server';
import { createOnSaleEvent, createUsers } from '../tests/support/fixtures';
import { freePort, OwnedRedis } from '../tests/support/redis-process';
import { sessionCookies, withSetCookies } from '../tests/support/sessions';
import { fmt, percentile, report, runLoad, type LoadResult } from './lib/http-load';
import { assertRedis, benchRedisUrl, freshDatabase, redisCoordinator } from './lib/setup';
import { writeResults } from './lib/app-bench';
import { profileArgs } from './lib/profile';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const ROUNDS = 5;
const SLICE_MS = (Number(process.env.BENCH_SECONDS ?? 10) * 1000) / ROUNDS;

/** One result from several slices of the same measure: total requests over total time; p99 of the worst slice. */
function merge(results: LoadResult[]): LoadResult {
  const requests = results.reduce((n, r) => n + r.requests, 0);
  const seconds = results.reduce((n, r) => n + r.seconds, 0);
  const statuses: Record<string, number> = {};
  for (const r of results)
    for (const [status, count] of Object.entries(r.statuses)) statuses[status] = (statuses[status] ?? 0) + count;
  const worst = (pick: (r: LoadResult) => number) => Math.max(...results.map(pick));
  const median = (pick: (r: LoadResult) => number) =>
    [...results.map(pick)].sort((a, b) => a - b)[Math.floor(results.length / 2)]!;
  return {
    name: results[0]!.name,
    requests,
    seconds,
    rps: requests / seconds,
    latency: {
      p50: median((r) => r.latency.p50),
      p90: worst((r) => r.latency.p90),
      p99: worst((r) => r.latency.p99),
      max: worst((r) => r.latency.max),
    },
    statuses,
    errors: results.reduce((n, r) => n + r.errors, 0),
    serverTiming: {},
  };
}
const ACCOUNTS = 3_000;
const MEMORY_ENTRIES = Number(process.env.BENCH_QUEUE_ENTRIES ?? 1_000_000);
const SECRET = 'bench-queue-secret-that-is-long-enough-0123456789';

/** Token verification as the gate does it: a full check (HMAC + SHA-256) for tokens never seen, and a repeat visit. */
async function gateCost(): Promise<{
  coldMeanUs: number;
  coldP50Us: number;
  coldP99Us: number;
  coldCpuUs: number;
  coldThroughputUs: number;
  warmMeanUs: number;
}> {
  const key = await admissionKey(SECRET);
  const eventId = crypto.randomUUID();
  /** Cookie headers of `n` different shoppers, each with a valid admission bound to its own session. */
  const shoppers = async (n: number) => {
    const headers: string[] = [];
    for (let i = 0; i < n; i++) {
      const session = `${crypto.randomUUID()}.${crypto.randomUUID()}`;
      const claims = {
        ev: eventId,
        vid: `q${String(i).padStart(15, '0')}`,
        sub: crypto.randomUUID(),
        sh: sessionBinding(session),
        exp: Math.floor(Date.now() / 1000) + 900,
      };
      headers.push(
        `better-auth.session_token=${session}; ${admissionCookieName(eventId)}=${await signAdmissionToken(claims, key)}`,
      );
    }
    return headers;
  };
  const verify = async (header: string) => {
    const result = await checkAdmission(header, eventId, key);
    if (!result.ok) throw new Error(`gate refused a valid token: ${result.reason}`);
  };
  // Warm-up on other shoppers so the JIT and Web Crypto are ready; every measured token is new to the gate.
  for (const header of await shoppers(2_000)) await verify(header);
  const measured = await shoppers(20_000);
  const cold: number[] = [];
  const cpu = process.cpuUsage();
  for (const header of measured) {
    const started = process.hrtime.bigint();
    await verify(header);
    cold.push(Number(process.hrtime.bigint() - started) / 1e3);
  }
  const used = process.cpuUsage(cpu);
  const coldCpuUs = (used.user + used.system) / measured.length;
  // Many requests in flight, as on a busy server: wall time per verification.
  const concurrent = await shoppers(5_000);
  const started = process.hrtime.bigint();
  await Promise.all(concurrent.map(verify));
  const coldThroughputUs = Number(process.hrtime.bigint() - started) / 1e3 / concurrent.length;
  // The same shoppers' next requests: the verified pair is remembered until it expires (10,000 most recent).
  const warm: number[] = [];
  for (const header of concurrent) {
    const t = process.hrtime.bigint();
    await verify(header);
    warm.push(Number(process.hrtime.bigint() - t) / 1e3);
  }
  const sorted = [...cold].sort((a, b) => a - b);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    coldMeanUs: mean(cold),
    coldP50Us: percentile(sorted, 50),
    coldP99Us: percentile(sorted, 99),
    coldCpuUs,
    coldThroughputUs,
    warmMeanUs: mean(warm),
  };
}

/** 1,000,000 visitors join one event's line through the real join script on a Redis of our own; bytes per visitor. */
async function memoryPerVisitor(): Promise<{
  entries: number;
  usedBytesPerVisitor: number;
  keyBytesPerVisitor: number;
  joinsPerSecond: number;
  redisVersion: string;
}> {
  const owned = new OwnedRedis(await freePort());
  await owned.start();
  const coordinator = redisCoordinator(owned.url, { commandTimeoutMs: 60_000 });
  const raw = new IORedis(owned.url);
  try {
    const eventId = crypto.randomUUID();
    const memory = async () => Number(/used_memory:(\d+)/.exec(await raw.info('memory'))![1]);
    // Capacity 0: nobody is admitted, everyone stays in line.
    const policy = { capacity: 0, ratePerMinute: 300, burst: 25, windowMs: 900_000, prequeue: false };
    await coordinator.queue.join(eventId, 'qwarmup00000000', Date.now(), policy);
    const before = await memory();
    const started = Date.now();
    const batch = 2_000;
    for (let i = 0; i < MEMORY_ENTRIES; i += batch) {
      // The same id format as lib/queue/visitor-id.ts: 'q' + 15 base64url characters.
      await Promise.all(
        Array.from({ length: Math.min(batch, MEMORY_ENTRIES - i) }, (_, k) =>
          coordinator.queue.join(eventId, `q${String(i + k).padStart(15, '0')}`, Date.now(), policy),
        ),
      );
    }
    const joinsPerSecond = MEMORY_ENTRIES / ((Date.now() - started) / 1000);
    const after = await memory();
    const keyBytes = Number(await raw.call('MEMORY', 'USAGE', queueKeys(eventId)[0], 'SAMPLES', '0'));
    const waiting = await raw.zcard(queueKeys(eventId)[0]);
    if (waiting !== MEMORY_ENTRIES + 1) throw new Error(`expected ${MEMORY_ENTRIES + 1} in line, found ${waiting}`);
    const redisVersion = /redis_version:(\S+)/.exec(await raw.info('server'))![1]!;
    return {
      entries: MEMORY_ENTRIES,
      usedBytesPerVisitor: (after - before) / MEMORY_ENTRIES,
      keyBytesPerVisitor: keyBytes / waiting,
      joinsPerSecond,
      redisVersion,
    };
  } finally {
    raw.disconnect();
    await coordinator.close();
    await owned.kill();
  }
}

async function main() {
  const redisUrl = benchRedisUrl();
  await assertRedis(redisUrl);
  console.log('Preparing: fresh database, a busy event (100 active shoppers at most), 3,000 buyers…');
  const { handle, url } = await freshDatabase('admitone_bench_queue');
  const db = handle.db;
  const { event } = await createOnSaleEvent(db, {
    rows: 20,
    seatsPerRow: 25,
    event: { queueCapacity: 100, admissionRatePerMinute: 300 },
  });
  const users = await createUsers(db, ACCOUNTS);
  const cookies = await sessionCookies(
    db,
    users.map((u) => u.id),
  );

  console.log('Building (if needed) and starting the app…');
  await ensureBuilt({ bench: true });
  const nodeArgs = profileArgs();
  const server = await startAppServer(
    await freePort(),
    { DATABASE_URL: url, REDIS_URL: redisUrl, DATABASE_POOL_MAX: '20', QUEUE_TOKEN_SECRET: SECRET, BENCH_ROUTES: '1' },
    { nodeArgs },
  );
  try {
    for (let i = 0; i < cookies.length; i += CONNECTIONS) {
      const batch = await Promise.all(
        cookies
          .slice(i, i + CONNECTIONS)
          .map(async (c) =>
            withSetCookies(c, await fetch(`${server.url}/api/auth/get-session`, { headers: { cookie: c } })),
          ),
      );
      cookies.splice(i, batch.length, ...batch);
    }
    // Each buyer is a different client: its own address, as the proxy in front of the app would report it.
    let account = 0;
    const visitor = (method: string) => {
      const i = account++ % cookies.length;
      return {
        method,
        path: `/api/events/${event.id}/queue`,
        headers: { cookie: cookies[i]!, 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
      };
    };
    const run = (name: string, next: Parameters<typeof runLoad>[0]['next'], durationMs = SLICE_MS) =>
      runLoad({ name, baseUrl: server.url, connections: CONNECTIONS, durationMs, next });
    /**
     * Every buyer opens the queue page before its first join or poll, as a browser does: the server verifies the
     * session once (it keeps verified sessions for 30 s, lib/auth/viewer.ts), and each run then measures the queue
     * itself rather than better-auth. Done again before each run, since a run outlasts what was verified before it.
     */
    const openPages = async () => {
      for (let i = 0; i < cookies.length; i += CONNECTIONS) {
        await Promise.all(
          cookies.slice(i, i + CONNECTIONS).map((cookie, k) =>
            fetch(`${server.url}/api/events/${event.id}/queue`, {
              headers: { cookie, 'x-forwarded-for': `10.250.${((i + k) >> 8) & 255}.${(i + k) & 255}` },
            }),
          ),
        );
      }
    };

    console.log(
      `Measuring HTTP (${CONNECTIONS} connections; ${ROUNDS} rounds of ${SLICE_MS / 1000} s per measure, interleaved so drifting machine load hits all alike)…`,
    );
    const slices: Record<'baseline' | 'joins' | 'polls', LoadResult[]> = { baseline: [], joins: [], polls: [] };
    await run('warm-up', () => ({ method: 'GET', path: '/api/bench/noop' }), 2_000);
    for (let round = 0; round < ROUNDS; round++) {
      await openPages();
      slices.baseline.push(await run('no-op route (baseline)', () => ({ method: 'GET', path: '/api/bench/noop' })));
      slices.joins.push(await run('join (POST /queue)', () => visitor('POST')));
      slices.polls.push(await run('status poll (GET /queue)', () => visitor('GET')));
    }
    const baseline = merge(slices.baseline);
    const joins = merge(slices.joins);
    const polls = merge(slices.polls);
    const final = (await (
      await fetch(`${server.url}/api/events/${event.id}/queue`, {
        headers: { cookie: cookies[ACCOUNTS - 1]!, 'x-forwarded-for': '10.200.0.1' },
      })
    ).json()) as { state: string; waiting: number; active: number };

    console.log('Measuring the gate (token verification in process)…');
    const gate = await gateCost();
    console.log(
      `Measuring Redis memory for ${MEMORY_ENTRIES.toLocaleString('en-US')} queued visitors on a redis-server of our own…`,
    );
    const memory = await memoryPerVisitor();

    const targets = [
      ['join >= 0.8 x baseline req/s', joins.rps >= 0.8 * baseline.rps, `${fmt(joins.rps / baseline.rps, 2)} x`],
      ['status poll >= 0.8 x baseline req/s', polls.rps >= 0.8 * baseline.rps, `${fmt(polls.rps / baseline.rps, 2)} x`],
      [
        'gate verification < 50 µs (new token, median)',
        gate.coldP50Us < 50,
        `${fmt(gate.coldP50Us, 1)} µs p50, ${fmt(gate.coldMeanUs, 1)} µs mean`,
      ],
      [
        'Redis memory per queued visitor < 150 B',
        memory.usedBytesPerVisitor < 150,
        `${fmt(memory.usedBytesPerVisitor, 1)} B`,
      ],
    ] as const;
    console.log(
      `\n${report(
        baseline,
        [joins, polls],
        [
          '',
          `line after the run: ${final.waiting} waiting, ${final.active} active (capacity 100); last buyer's state: ${final.state}`,
          `gate, token never seen (HMAC-SHA256 + SHA-256 of the session cookie): wall mean ${fmt(gate.coldMeanUs, 1)} µs, p50 ${fmt(gate.coldP50Us, 1)} µs, p99 ${fmt(gate.coldP99Us, 1)} µs, CPU ${fmt(gate.coldCpuUs, 1)} µs; ${fmt(gate.coldThroughputUs, 1)} µs each with 5,000 in flight`,
          `gate, the same shopper's next request (verified pair remembered): mean ${fmt(gate.warmMeanUs, 2)} µs`,
          `Redis ${memory.redisVersion}, ${memory.entries.toLocaleString('en-US')} queued visitors: ${fmt(memory.usedBytesPerVisitor, 1)} B each (used_memory), ${fmt(memory.keyBytesPerVisitor, 1)} B each (MEMORY USAGE of the line); joined at ${fmt(memory.joinsPerSecond, 0)}/s through the join script`,
          `machine load while measuring: ${loadavg()
            .map((l) => l.toFixed(1))
            .join(' ')} (1/5/15 min) on ${cpus().length} cores`,
          '',
          ...targets.map(([what, ok, figure]) => `${ok ? 'MET ' : 'MISS'}  ${what}: ${figure}`),
        ],
      )}`,
    );
    writeResults('queue', { baseline, joins, polls, slices, gate, memory, targets });
  } finally {
    await server.stop();
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
