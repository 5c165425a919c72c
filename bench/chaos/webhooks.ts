/**
 * `npm run chaos -- webhooks`: a storm of signed Stripe webhook deliveries against the app (the fake Stripe server
 * signs them with the real SDK's generateTestHeaderString): every event of a small on-sale delivered in reverse
 * order, each several times at once, plus payments that succeed late, after their hold expired (some of those seats
 * taken by someone else meanwhile, so the app must refund), and forged signatures. After the first wave the state is
 * photographed; further waves must change nothing. The audit must stay clean.
 */
import { sql } from 'drizzle-orm';
import { rows } from '@/db/sql';
import { HttpClient } from '../lib/http-client';
import { redisCoordinator } from '../lib/setup';
import { auditCriterion, fmt, onHarness, startHarness, verdict } from '../lib/harness';
import { auditSale, prepareOnSale, runOnSale, warmSessions } from '../lib/onsale';
import { Shopper } from '../lib/shopper';
import { chaosConfig } from './common';
import { chargesByOrder, fakeStripeFor } from './stripe';

const LATE = Number(process.env.CHAOS_LATE_PAYMENTS ?? 20);
const COPIES = 3;

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

export async function run(): Promise<boolean> {
  const config = chaosConfig({ buyers: 300, seats: 2_000, arrivalMs: 5_000, extraBuyers: LATE + LATE / 2 });
  const stripe = await fakeStripeFor({ autoDeliver: false, delayMs: 3_600_000 });
  console.log(
    `chaos webhooks: ${config.buyers} buyers paying through (fake) Stripe, ${LATE} payments that succeed after their hold expired; every event delivered ${COPIES}x at once, in reverse order, then again.`,
  );
  const h = await startHarness('chaos_webhooks', stripe.env);
  return onHarness(
    h,
    async () => {
      const prepared = await prepareOnSale(h.handle.db, config);
      await h.app.start();
      stripe.target(h.app.url);
      await warmSessions(h.app.url, prepared);
      const client = new HttpClient(h.app.url, undefined, { maxSockets: config.maxSockets });
      const record = await runOnSale(client, prepared, config);
      console.log(
        `  sale: ${record.orders.length} orders paid, ${stripe.fake.events.length} Stripe events recorded (not delivered yet)`,
      );

      // Late payments: a delayed card leaves the order processing; then the hold runs out.
      const late: { holdId: string; orderId: string; seats: number[] }[] = [];
      const free = (
        await rows<{ id: number }>(
          h.handle.db,
          sql`select id from event_seats where event_id = ${prepared.eventId} and status = 'available' order by idx desc limit ${LATE * 2 + 200}`,
        )
      ).map((r) => Number(r.id));
      // Seats free in PostgreSQL that the Redis filter still refuses (a claim whose clearing timed out under load).
      const staleClaims: number[] = [];
      for (let i = 0; i < LATE; i++) {
        const buyer = new Shopper(client, prepared.buyers[config.buyers + i]!.cookie, `10.251.0.${i + 1}`);
        await buyer.admit(prepared.eventId);
        let seats = free.splice(0, 2);
        let held = await buyer.hold(prepared.eventId, seats);
        while (held.status === 409 && free.length >= 2) {
          staleClaims.push(...((held.body as { unavailableSeatIds?: number[] }).unavailableSeatIds ?? []));
          seats = free.splice(0, 2);
          held = await buyer.hold(prepared.eventId, seats);
        }
        if (held.status !== 201) throw new Error(`late buyer hold: ${held.status} ${JSON.stringify(held.body)}`);
        const holdId = (held.body as { id: string }).id;
        const paid = await buyer.checkout(holdId, crypto.randomUUID(), 'pm_card_delayed');
        if (paid.status !== 202) throw new Error(`late buyer checkout: ${paid.status} ${JSON.stringify(paid.body)}`);
        late.push({ holdId, orderId: (paid.body as { orderId: string }).orderId, seats });
      }
      const lateHolds = `{${late.map((l) => l.holdId).join(',')}}`;
      await h.handle.db.execute(
        sql`update holds set expires_at = now() - interval '1 minute' where id = any(${lateHolds}::uuid[])`,
      );
      await h.handle.db.execute(
        sql`update event_seats es set rev = es.rev + 1, held_until = h.expires_at from holds h where es.hold_id = h.id and h.id = any(${lateHolds}::uuid[])`,
      );
      // Time passed for Redis too: the filter's claims on those seats ran out with the holds.
      const coordinator = redisCoordinator(h.redis.url);
      await coordinator.seats.clear(
        prepared.eventId,
        late.flatMap((l) => l.seats),
      );
      await coordinator.close();
      // Half of them lose their seats to someone else meanwhile.
      const taken = late.slice(0, LATE / 2);
      for (const [i, l] of taken.entries()) {
        const rival = new Shopper(client, prepared.buyers[config.buyers + LATE + i]!.cookie, `10.252.0.${i + 1}`);
        await rival.admit(prepared.eventId);
        const held = await rival.hold(prepared.eventId, l.seats);
        if (held.status !== 201)
          throw new Error(`rival could not take expired seats: ${held.status} ${JSON.stringify(held.body)}`);
      }
      const settled = stripe.fake.settleProcessing();
      console.log(
        `  ${late.length} late payments; ${taken.length} of their seats taken by others; ${settled} PaymentIntents succeed now`,
      );

      const deliveries: number[] = [];
      const deliverAll = async (ids: string[]) => {
        const copies = ids.flatMap((id) => Array.from({ length: COPIES }, () => id));
        await pool(copies, 24, async (id) => {
          const res = await stripe.fake.deliver(id, { target: `${h.app.url}/api/webhooks/stripe` });
          deliveries.push(res.status);
          await res.arrayBuffer();
        });
      };
      const started = Date.now();
      // Wave 1: newest first (reverse order), each event three times at once; then whatever the app caused (refunds).
      let delivered = 0;
      while (delivered < stripe.fake.events.length) {
        const batch = stripe.fake.events
          .slice(delivered)
          .map((e) => e.id)
          .reverse();
        delivered = stripe.fake.events.length;
        await deliverAll(batch);
      }
      const snapshot = async () =>
        JSON.stringify(
          await rows(
            h.handle.db,
            sql`select (select json_object_agg(status, n) from (select status, count(*)::int n from orders group by 1) o) as orders,
                     (select json_object_agg(status, n) from (select status, count(*)::int n from payments group by 1) p) as payments,
                     (select json_object_agg(status, n) from (select status, count(*)::int n from refunds group by 1) r) as refunds,
                     (select coalesce(sum(amount_minor), 0)::int from refunds) as refunded_minor,
                     (select json_object_agg(status, n) from (select status, count(*)::int n from tickets group by 1) t) as tickets,
                     (select json_object_agg(status, n) from (select status, count(*)::int n from event_seats group by 1) s) as seats,
                     (select count(*)::int from webhook_events) as webhook_events,
                     (select count(*)::int from email_outbox) as emails`,
          ),
        );
      const first = await snapshot();
      const wave1Seconds = (Date.now() - started) / 1000;
      // Wave 2: everything again, shuffled, three times each at once, and forged copies.
      const all = stripe.fake.events.map((e) => e.id).sort(() => Math.random() - 0.5);
      await deliverAll(all);
      const forged: number[] = [];
      for (const id of all.slice(0, 20))
        forged.push(
          (await stripe.fake.deliver(id, { badSignature: true, target: `${h.app.url}/api/webhooks/stripe` })).status,
        );
      const second = await snapshot();
      client.close();

      const lateOrders = await rows<{ id: string; status: string; refunds: number; tickets: number }>(
        h.handle.db,
        sql`select o.id, o.status, (select count(*) from refunds r where r.order_id = o.id)::int as refunds, (select count(*) from tickets t where t.order_id = o.id and t.status = 'valid')::int as tickets
          from orders o where o.id = any(${`{${late.map((l) => l.orderId).join(',')}}`}::uuid[])`,
      );
      const takenIds = new Set(taken.map((l) => l.orderId));
      const refundedRight = lateOrders
        .filter((o) => takenIds.has(o.id))
        .every((o) => o.refunds === 1 && o.tickets === 0 && o.status !== 'paid');
      const completedRight = lateOrders
        .filter((o) => !takenIds.has(o.id))
        .every((o) => o.status === 'paid' && o.tickets === 2 && o.refunds === 0);
      const charges = chargesByOrder(stripe.fake);
      const twice = [...charges.values()].filter((n) => n > 1).length;
      const audit = await auditSale(h.handle.db, [prepared.eventId]);
      const byStatus: Record<number, number> = {};
      for (const s of deliveries) byStatus[s] = (byStatus[s] ?? 0) + 1;
      console.log(`
deliveries: ${deliveries.length} (${JSON.stringify(byStatus)}), ${stripe.fake.events.length} distinct events; first wave in ${fmt(wave1Seconds, 1)} s; forged: ${JSON.stringify(forged.reduce<Record<number, number>>((m, s) => ((m[s] = (m[s] ?? 0) + 1), m), {}))}
seats free in the database but refused as taken (stale Redis claims after the sale): ${staleClaims.length}
late orders: ${JSON.stringify(lateOrders.reduce<Record<string, number>>((m, o) => ((m[o.status] = (m[o.status] ?? 0) + 1), m), {}))}
state after wave 1: ${first}
state after wave 2: ${second}
database: ${JSON.stringify(audit.counts)}
`);
      return verdict([
        [
          'every genuine delivery answered 2xx (duplicates included)',
          deliveries.every((s) => s >= 200 && s < 300),
          JSON.stringify(byStatus),
        ],
        [
          'forged signatures refused with 400',
          forged.every((s) => s === 400),
          JSON.stringify(forged.reduce<Record<number, number>>((m, s) => ((m[s] = (m[s] ?? 0) + 1), m), {})),
        ],
        [
          'nothing changes twice (state after a second storm = after the first)',
          first === second,
          first === second ? 'identical' : 'DIFFERENT',
        ],
        [
          'late payment, seats taken meanwhile: order refunded once, no tickets',
          refundedRight,
          `${lateOrders.filter((o) => takenIds.has(o.id) && o.refunds === 1).length} of ${taken.length} refunded`,
        ],
        [
          'late payment, seats still free: order completed with its tickets',
          completedRight,
          `${lateOrders.filter((o) => !takenIds.has(o.id) && o.status === 'paid').length} of ${late.length - taken.length} paid`,
        ],
        ['no order charged twice', twice === 0, `${twice}`],
        auditCriterion(audit),
      ]);
    },
    async () => {
      await stripe.fake.close();
    },
  );
}
