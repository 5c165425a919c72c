/**
 * `npm run chaos -- redis`: redis-server is killed (SIGKILL) mid-sale and restarted 5 s later (empty: no
 * persistence, the worst case of docs/decisions/012-queue-degradation.md). Expected: zero oversell; holds go on in
 * database-only mode (the coordinator's circuit breaker); new arrivals get 503 + Retry-After while admitted shoppers
 * keep shopping; the queue answers again and the breaker closes within 10 s of the restart.
 */
import { HttpClient } from '../lib/http-client';
import { auditCriterion, fmt, onHarness, startHarness, verdict } from '../lib/harness';
import { auditSale, prepareOnSale, runOnSale, warmSessions } from '../lib/onsale';
import { chaosConfig, metric, statusLine, window } from './common';

/** Mid-sale: once a quarter of the buyers hold seats (or at CHAOS_FAULT_AT_SECONDS). */
const faultDue = (elapsed: number, holds: number, buyers: number) =>
  process.env.CHAOS_FAULT_AT_SECONDS
    ? elapsed >= Number(process.env.CHAOS_FAULT_AT_SECONDS) * 1000
    : holds >= buyers / 4;
const DOWN_MS = Number(process.env.CHAOS_DOWN_SECONDS ?? 5) * 1000;

export async function run(): Promise<boolean> {
  const config = chaosConfig();
  console.log(
    `chaos redis: ${config.buyers} buyers in ${config.arrivalMs / 1000} s for ${config.seats} seats; redis-server SIGKILLed mid-sale, restarted ${DOWN_MS / 1000} s later.`,
  );
  const h = await startHarness('chaos_redis');
  return onHarness(h, async () => {
    const prepared = await prepareOnSale(h.handle.db, config);
    await h.app.start();
    await warmSessions(h.app.url, prepared);
    const client = new HttpClient(h.app.url, undefined, { maxSockets: config.maxSockets });
    let killedAt = 0;
    let restartedAt = 0;
    let breakerClosedAt = 0;
    let breakerOpenSeen = false;
    let dbOnlyBefore = 0;
    let lastSample = 0;
    let sampling = false;
    const record = await runOnSale(client, prepared, config, {
      tick: async (elapsed, r) => {
        if (!killedAt && faultDue(elapsed, r.holds.length, config.buyers)) {
          dbOnlyBefore = (await metric(h.app.url, 'admitone_hold_database_only_total')) ?? 0;
          await h.redis.kill();
          killedAt = elapsed;
          console.log(`  ${fmt(elapsed / 1000, 1)} s: redis-server killed`);
        } else if (killedAt && !restartedAt && elapsed >= killedAt + DOWN_MS) {
          await h.redis.start();
          restartedAt = Date.now() - r.startedAt;
          console.log(`  ${fmt(restartedAt / 1000, 1)} s: redis-server restarted (empty)`);
        }
        // The breaker's state, once a second (the scrape runs the oversell detector's query).
        if (killedAt && !breakerClosedAt && !sampling && elapsed - lastSample >= 1_000) {
          sampling = true;
          lastSample = elapsed;
          const open = await metric(h.app.url, 'admitone_coordinator_breaker_open');
          if (open) breakerOpenSeen = true;
          if (restartedAt && open === 0) breakerClosedAt = Date.now() - r.startedAt;
          sampling = false;
        }
      },
    });
    client.close();
    const dbOnly = ((await metric(h.app.url, 'admitone_hold_database_only_total')) ?? 0) - dbOnlyBefore;
    const audit = await auditSale(h.handle.db, [prepared.eventId]);
    const outage = window(record, killedAt, restartedAt);
    const holdsDuring = outage.entries.filter((e) => e.kind === 'hold' && e.status === 201).length;
    const queueDuring = outage.entries.filter((e) => e.kind.startsWith('queue.'));
    const queue503 = queueDuring.filter((e) => e.status === 503);
    const queue503WithRetry = queue503.filter((e) => e.retryAfter).length;
    const firstQueueOk = record.timeline.find(
      (e) => e.t >= restartedAt && e.kind.startsWith('queue.') && e.status === 200,
    );
    const queueRecoveryMs = firstQueueOk ? firstQueueOk.t - restartedAt : Infinity;
    const breakerRecoveryMs = breakerClosedAt ? Math.max(0, breakerClosedAt - restartedAt) : Infinity;
    const all5xx = record.timeline.filter((e) => e.status >= 500 && e.status !== 503).length;
    const tickets = record.orders.reduce((n, o) => n + o.seats, 0);
    console.log(`
outage ${fmt(killedAt / 1000, 1)}-${fmt(restartedAt / 1000, 1)} s, answers: ${statusLine(outage.by)}
after the restart: ${statusLine(window(record, restartedAt, restartedAt + 10_000).by)}
holds decided by PostgreSQL alone (breaker): ${dbOnly}; breaker seen open: ${breakerOpenSeen}
sale: ${record.orders.length} orders, ${tickets} tickets, ${record.holds.length} holds, ${record.buyersDone} buyers done, gave up ${JSON.stringify(record.gaveUp)}
database: ${JSON.stringify(audit.counts)}
`);
    return verdict([
      auditCriterion(audit, 'zero oversell (audit clean, no seat sold twice)'),
      [
        'holds continue in database-only mode during the outage',
        holdsDuring > 0 && dbOnly > 0,
        `${holdsDuring} holds granted while Redis was down, ${dbOnly} decided by PostgreSQL alone`,
      ],
      [
        'queue holds new arrivals with 503 + Retry-After while Redis is down',
        queue503.length > 0 && queue503WithRetry === queue503.length,
        `${queue503.length} queue answers 503 (${queue503WithRetry} with Retry-After) of ${queueDuring.length}`,
      ],
      [
        'admitted shoppers keep paying during the outage',
        outage.entries.some((e) => e.kind === 'checkout' && e.status === 201),
        `${outage.entries.filter((e) => e.kind === 'checkout' && e.status === 201).length} checkouts paid while Redis was down`,
      ],
      [
        'queue answers again within 10 s of the restart',
        queueRecoveryMs <= 10_000,
        `${fmt(queueRecoveryMs / 1000, 2)} s`,
      ],
      [
        'breaker closed (holds filtered by Redis again) within 10 s of the restart',
        breakerRecoveryMs <= 10_000,
        `${fmt(breakerRecoveryMs / 1000, 2)} s (sampled every 1 s)`,
      ],
      ['no 500s', all5xx === 0, `${all5xx}`],
      [
        'every buyer finished',
        record.buyersDone + (record.gaveUp['sold out'] ?? 0) === config.buyers,
        `${record.buyersDone} done, gave up ${JSON.stringify(record.gaveUp)}, cut off ${record.cutOff}`,
      ],
    ]);
  });
}
