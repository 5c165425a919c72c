/**
 * `npm run chaos -- postgres`: our PostgreSQL cluster is stopped with `pg_ctl stop -m immediate` mid-sale (every
 * backend killed, no checkpoint) and started again 5 s later (crash recovery). Expected: every hold and order the
 * client saw succeed is still there afterwards; requests during the outage are answered 503 with Retry-After (never
 * 500); the app's pool reconnects by itself and holds no more connections than DATABASE_POOL_MAX afterwards.
 */
import { sql } from 'drizzle-orm';
import { rows } from '@/db/sql';
import { HttpClient } from '../lib/http-client';
import { auditCriterion, fmt, onHarness, startHarness, verdict } from '../lib/harness';
import { auditSale, prepareOnSale, runOnSale, warmSessions } from '../lib/onsale';
import { chaosConfig, statusLine, window } from './common';

/** Mid-sale: once a quarter of the buyers hold seats (or at CHAOS_FAULT_AT_SECONDS). */
const faultDue = (elapsed: number, holds: number, buyers: number) =>
  process.env.CHAOS_FAULT_AT_SECONDS
    ? elapsed >= Number(process.env.CHAOS_FAULT_AT_SECONDS) * 1000
    : holds >= buyers / 4;
const DOWN_MS = Number(process.env.CHAOS_DOWN_SECONDS ?? 5) * 1000;
const POOL_MAX = 20;

export async function run(): Promise<boolean> {
  const config = chaosConfig();
  console.log(
    `chaos postgres: ${config.buyers} buyers in ${config.arrivalMs / 1000} s for ${config.seats} seats; pg_ctl stop -m immediate mid-sale, start ${DOWN_MS / 1000} s later.`,
  );
  const h = await startHarness('chaos_postgres', { DATABASE_POOL_MAX: String(POOL_MAX) });
  return onHarness(h, async () => {
    const prepared = await prepareOnSale(h.handle.db, config);
    await h.app.start();
    await warmSessions(h.app.url, prepared);
    const client = new HttpClient(h.app.url, undefined, { maxSockets: config.maxSockets });
    let stoppedAt = 0;
    let startedAt = 0;
    let recoverySeconds = 0;
    const record = await runOnSale(client, prepared, config, {
      tick: async (elapsed, r) => {
        if (!stoppedAt && faultDue(elapsed, r.holds.length, config.buyers)) {
          h.pg.stopImmediate();
          stoppedAt = Date.now() - r.startedAt;
          console.log(`  ${fmt(stoppedAt / 1000, 1)} s: PostgreSQL stopped (immediate)`);
        } else if (stoppedAt && !startedAt && elapsed >= stoppedAt + DOWN_MS) {
          const t = Date.now();
          await h.pg.start();
          recoverySeconds = (Date.now() - t) / 1000;
          startedAt = Date.now() - r.startedAt;
          console.log(
            `  ${fmt(startedAt / 1000, 1)} s: PostgreSQL started again (crash recovery took ${fmt(recoverySeconds, 1)} s)`,
          );
        }
      },
    });
    client.close();
    // Our own pool lost its connections too.
    await h.handle.db.execute(sql`select 1`).catch(() => undefined);
    const outage = window(record, stoppedAt, startedAt + 1_000);
    const during = outage.entries.filter((e) => e.status >= 500 || e.status <= 0);
    const five03 = outage.entries.filter((e) => e.status === 503);
    const withRetry = five03.filter((e) => e.retryAfter).length;
    const all500 = record.timeline.filter((e) => e.status >= 500 && e.status !== 503);
    const firstShopOk = record.timeline.find(
      (e) => e.t >= startedAt && ['hold', 'checkout'].includes(e.kind) && e.status < 300,
    );

    const holdIds = record.holds.map((x) => x.id);
    const foundHolds = holdIds.length
      ? await rows<{ id: string }>(
          h.handle.db,
          sql`select id from holds where id = any(${`{${holdIds.join(',')}}`}::uuid[])`,
        )
      : [];
    const orderIds = record.orders.map((o) => o.orderId);
    const paid = orderIds.length
      ? await rows<{ id: string; tickets: number }>(
          h.handle.db,
          sql`select o.id, (select count(*) from tickets t where t.order_id = o.id and t.status = 'valid')::int as tickets from orders o where o.id = any(${`{${orderIds.join(',')}}`}::uuid[]) and o.status = 'paid'`,
        )
      : [];
    const ticketsOk = record.orders.every((o) => paid.find((p) => p.id === o.orderId)?.tickets === o.ticketIds.length);
    // Connections afterwards: a burst of requests, then what the app holds open.
    await Promise.all(
      Array.from({ length: 100 }, () =>
        fetch(`${h.app.url}/api/events/${prepared.eventId}/availability`).then((res) => res.arrayBuffer()),
      ),
    );
    const ready = await fetch(`${h.app.url}/api/health/ready`);
    const audit = await auditSale(h.handle.db, [prepared.eventId]);
    // Our own pool uses the same application name: close it, so only the app's connections are counted.
    await h.handle.close();
    const connections = await h.pg.connections(h.database);
    const appConnections = connections['admitone'] ?? 0;
    console.log(`
outage ${fmt(stoppedAt / 1000, 1)}-${fmt(startedAt / 1000, 1)} s (+1 s), answers: ${statusLine(outage.by)}
first hold/checkout success after the restart: ${firstShopOk ? `${fmt((firstShopOk.t - startedAt) / 1000, 2)} s` : 'none'}
sale: ${record.orders.length} orders, ${record.holds.length} holds, ${record.buyersDone} buyers done, gave up ${JSON.stringify(record.gaveUp)}
connections to ${h.database} afterwards by application: ${JSON.stringify(connections)}; /api/health/ready: ${ready.status}
database: ${JSON.stringify(audit.counts)}
`);
    return verdict([
      [
        'every hold the client saw granted is still there',
        foundHolds.length === holdIds.length,
        `${foundHolds.length} of ${holdIds.length}`,
      ],
      [
        'every order the client saw paid is paid, with its tickets',
        paid.length === orderIds.length && ticketsOk,
        `${paid.length} of ${orderIds.length}`,
      ],
      [
        'requests during the outage answered 503 with Retry-After',
        five03.length > 0 && withRetry === five03.length,
        `${five03.length} x 503 (${withRetry} with Retry-After) of ${during.length} failed answers`,
      ],
      [
        'no 500 (or other 5xx than 503) at all',
        all500.length === 0,
        `${all500.length}${all500.length ? ` (${statusLine(window({ ...record, timeline: all500 }, 0, Infinity).by)})` : ''}`,
      ],
      [
        'the app serves holds/checkout again after the restart',
        Boolean(firstShopOk),
        firstShopOk ? `${fmt((firstShopOk.t - startedAt) / 1000, 2)} s after the start` : 'never',
      ],
      [
        `no connection leak (app connections <= DATABASE_POOL_MAX ${POOL_MAX})`,
        appConnections <= POOL_MAX,
        `${appConnections}`,
      ],
      ['readiness probe healthy afterwards', ready.status === 200, `${ready.status}`],
      auditCriterion(audit),
    ]);
  });
}
