/**
 * `npm run bench:holds`: the hold path under load, on the real PostgreSQL and Redis, against the built app.
 * Every figure is printed absolute and as a ratio to a no-op route of the same app measured in the same run.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { createEvent } from '@/lib/admin/create-event';
import { createVenue } from '@/lib/admin/create-venue';
import { publishEvent } from '@/lib/admin/publish-event';
import { stadium } from '@/db/seed/venues';
import { rows } from '@/db/sql';
import { auditInventory } from '@/lib/inventory';
import { Redis } from '@upstash/redis';
import { IoRedisRequester } from '@/lib/coordination/ioredis-requester';
import { RedisCoordinator } from '@/lib/coordination/redis';
import { ensureBuilt, startAppServer, TEST_SECRETS } from '../tests/support/app-server';
import { admittedCookie } from '../tests/support/admission';
import { createUser, createUsers } from '../tests/support/fixtures';
import { freePort } from '../tests/support/redis-process';
import { sessionCookies, withSetCookies } from '../tests/support/sessions';
import { fmt, percentile, report, runLoad, type LoadResult } from './lib/http-load';
import { assertRedis, benchRedisUrl, freshDatabase, sellOut } from './lib/setup';
import { profileArgs } from './lib/profile';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 10) * 1000;
const ACCOUNTS = 3_000;

async function main() {
  // The app server runs with the test secrets; this process signs admission tokens with the same one.
  Object.assign(process.env, TEST_SECRETS);
  const redisUrl = benchRedisUrl();
  await assertRedis(redisUrl);
  console.log('Preparing: fresh database, a 50,800-seat stadium event, a sold-out event, 3,000 buyers…');
  const { handle, url } = await freshDatabase('admitone_bench_holds');
  const db = handle.db;
  const admin = await createUser(db, { role: 'admin' });
  const layout = stadium('Bench Stadium', 'Austin', 'US', 'America/Chicago');
  const venue = await createVenue(db, layout, admin.id);
  const common = { performer: 'Bench', category: 'sports' as const, venueId: venue.id, startsAt: new Date(Date.now() + 30 * 86_400_000), onSaleAt: new Date(Date.now() - 60_000), perOrderLimit: 6, perAccountLimit: 60, queueCapacity: 100_000 };
  const assignments = layout.sections.map((s) => ({ tier: 'Any', sectionLabel: s.label }));
  const big = await createEvent(db, { ...common, name: 'Bench Final', tiers: [{ name: 'Any', priceMinor: 5000 }], assignments }, admin.id);
  await publishEvent(db, big.id, admin.id);
  const small = await createEvent(db, { ...common, name: 'Bench Sold Out', tiers: [{ name: 'Any', priceMinor: 5000 }], assignments }, admin.id);
  await publishEvent(db, small.id, admin.id);
  const bigSeats = (await rows<{ id: number | string }>(db, sql`select id from event_seats where event_id = ${big.id} order by idx`)).map((r) => Number(r.id));
  const soldSeats = await sellOut(db, small.id, admin.id);
  // What the sale itself would have told the filter.
  const requester = new IoRedisRequester(redisUrl);
  const coordinator = new RedisCoordinator(new Redis(requester), 'redis', () => requester.close());
  for (let i = 0; i < soldSeats.length; i += 5_000) await coordinator.markTaken(small.id, soldSeats.slice(i, i + 5_000).map((seatId) => ({ seatId, untilMs: null })));
  await coordinator.close();
  const users = await createUsers(db, ACCOUNTS);
  const cookies = await sessionCookies(db, users.map((u) => u.id));

  console.log('Building (if needed) and starting the app…');
  await ensureBuilt();
  const nodeArgs = profileArgs();
  const server = await startAppServer(await freePort(), {
    DATABASE_URL: url,
    REDIS_URL: redisUrl,
    DATABASE_POOL_MAX: '20',
    // The engine is measured without load shedding (64 clients would mostly be answered 503 by design, which says
    // nothing about holds); BENCH_SHED=1 keeps the shipped limits. Shedding has its own scenario: npm run chaos -- overload.
    ...(process.env.BENCH_SHED === '1' ? {} : { SHED_MAX_IN_FLIGHT: '0' }),
  }, { nodeArgs });
  try {
    // A browser has the signed session cache after its first page: give every buyer one.
    for (let i = 0; i < cookies.length; i += CONNECTIONS) {
      const batch = await Promise.all(cookies.slice(i, i + CONNECTIONS).map(async (c) => withSetCookies(c, await fetch(`${server.url}/api/auth/get-session`, { headers: { cookie: c } }))));
      cookies.splice(i, batch.length, ...batch);
    }
    // Every buyer came through both waiting rooms (bench:queue measures the queue itself).
    const admitted = await Promise.all(cookies.map(async (c, i) => admittedCookie(await admittedCookie(c, big.id, users[i]!.id, 60), small.id, users[i]!.id, 60)));
    cookies.splice(0, cookies.length, ...admitted);
    const base = server.url;
    const hot = bigSeats.slice(0, Math.floor(bigSeats.length / 100));
    const cold = bigSeats.slice(hot.length);
    let account = 0;
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const pickFrom = (list: number[]) => {
      const n = 1 + Math.floor(random() * 2);
      const picked = new Set<number>();
      while (picked.size < n) picked.add(list[Math.floor(random() * list.length)]!);
      return [...picked];
    };
    const holdRequest = (eventId: string, seatIds: number[]) => {
      const n = account++ % cookies.length;
      // Each buyer is a different client, as a proxy in front of the app would report it.
      return { method: 'POST', path: `/api/events/${eventId}/holds`, headers: { cookie: cookies[n]!, 'x-forwarded-for': `10.${n >> 16}.${(n >> 8) & 255}.${n & 255}` }, body: JSON.stringify({ seatIds }) };
    };

    const only = process.env.BENCH_ONLY?.split(',');
    const run = (name: string, next: Parameters<typeof runLoad>[0]['next']) => runLoad({ name, baseUrl: base, connections: CONNECTIONS, durationMs: DURATION_MS, warmupMs: 2_000, next });
    console.log(`Measuring (${CONNECTIONS} connections, ${DURATION_MS / 1000} s each)…`);
    // BENCH_ONLY=holds,soldout,availability measures a subset (the baseline always runs), e.g. to profile one path.
    const skip = (key: string) => Boolean(only && !only.includes(key));
    const empty = (name: string): LoadResult => ({ name: `${name} (skipped)`, requests: 0, seconds: 1, rps: 0, latency: { p50: 0, p90: 0, p99: 0, max: 0 }, statuses: {}, errors: 0, serverTiming: {} });
    const baseline = await run('no-op route (baseline)', () => ({ method: 'GET', path: '/api/bench/noop' }));
    const holds = skip('holds') ? empty('holds') : await run('holds (20% on hottest 1%)', () => holdRequest(big.id, random() < 0.2 ? pickFrom(hot) : pickFrom(cold)));
    const rejections = skip('soldout') ? empty('sold-out') : await run('holds on a sold-out event', () => holdRequest(small.id, pickFrom(soldSeats)));
    const availability = skip('availability')
      ? empty('availability')
      : await run('availability snapshot (50,800)', () => ({ method: 'GET', path: `/api/events/${big.id}/availability`, headers: { 'accept-encoding': 'gzip' } }));
    const results: LoadResult[] = [holds, rejections, availability];

    const granted = holds.statuses['201'] ?? 0;
    // Throughput counts decided answers only (granted or conflict); a 503 from load shedding decided nothing.
    const decided = (r: LoadResult) => ((r.statuses['201'] ?? 0) + (r.statuses['409'] ?? 0)) / r.seconds;
    const timing = holds.serverTiming;
    const steps = ['auth', 'rules', 'filter', 'commit'].map((step) => {
      const values = [...(timing[step] ?? [])].sort((a, b) => a - b);
      const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
      return { step, mean, p99: percentile(values, 99) };
    });
    const slowest = [...steps].sort((a, b) => b.mean - a.mean)[0]!;
    const audit = await auditInventory(db, new Date(), [big.id, small.id]);
    const targets = [
      ['hold p99 < 50 ms', holds.latency.p99 < 50, `${fmt(holds.latency.p99, 1)} ms`],
      ['holds/s >= 0.5 x baseline', decided(holds) >= 0.5 * baseline.rps, `${fmt(decided(holds) / baseline.rps, 2)} x (${fmt(decided(holds), 0)} decided/s)`],
      ['rejections/s >= 0.8 x baseline', decided(rejections) >= 0.8 * baseline.rps, `${fmt(decided(rejections) / baseline.rps, 2)} x (${fmt(decided(rejections), 0)}/s)`],
      ['availability read p99 < 20 ms', availability.latency.p99 < 20, `${fmt(availability.latency.p99, 1)} ms`],
    ] as const;
    console.log(
      `\n${report(baseline, results, [
        '',
        `granted holds: ${granted} (${fmt(granted / holds.seconds, 0)}/s); conflicts: ${holds.statuses['409'] ?? 0}; sold-out rejections: ${rejections.statuses['409'] ?? 0}`,
        `hold path, successful holds (mean / p99 ms): ${steps.map((s) => `${s.step} ${fmt(s.mean, 2)} / ${fmt(s.p99, 2)}`).join(', ')}`,
        `slowest step: ${slowest.step} (${fmt(slowest.mean, 2)} ms mean)`,
        `invariant audit: ${audit.violations.length === 0 ? 'clean' : audit.violations.join('; ')}`,
        '',
        ...targets.map(([what, ok, figure]) => `${ok ? 'MET ' : 'MISS'}  ${what}: ${figure}`),
      ])}`,
    );
    mkdirSync('bench/results', { recursive: true });
    writeFileSync(`bench/results/holds-${new Date().toISOString().replace(/[:.]/g, '-')}.json`, JSON.stringify({ baseline, results, steps, audit, targets }, null, 2));
    if (audit.violations.length) process.exitCode = 1;
  } finally {
    await server.stop();
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
