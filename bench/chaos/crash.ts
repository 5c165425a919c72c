/**
 * `npm run chaos -- crash`: the app process is SIGKILLed between the commit of a checkout and its answer, during a
 * small on-sale paid through Stripe (the fake Stripe server with the real SDK). To hit exactly that moment, the
 * app reaches PostgreSQL through a proxy of the harness (bench/lib/pg-count-proxy.ts): once the victim's checkout has
 * recorded its order, the proxy keeps the reply to that order's `checkout_finalise` (the statement that charges into
 * a paid order with its tickets and stores the answer, in one commit) from the app. PostgreSQL commits; the app never
 * hears; the harness sees the order paid in the database and kills the process. After a restart the buyer retries
 * with the same Idempotency-Key and must get the same order and tickets; nobody is charged twice (PaymentIntents at
 * Stripe and payments in the database).
 */
import { sql } from 'drizzle-orm';
import { rows } from '@/db/sql';
import { HttpClient } from '../lib/http-client';
import { PgCountProxy } from '../lib/pg-count-proxy';
import { auditCriterion, fmt, onHarness, startHarness, verdict } from '../lib/harness';
import { auditSale, prepareOnSale, runOnSale, warmSessions } from '../lib/onsale';
import { Shopper } from '../lib/shopper';
import { chaosConfig } from './common';
import { chargesByOrder, fakeStripeFor } from './stripe';

const VICTIMS = Number(process.env.CHAOS_CRASHES ?? 2);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run(): Promise<boolean> {
  const config = chaosConfig({ buyers: 400, seats: 3_000, arrivalMs: 5_000, extraBuyers: VICTIMS * 3 });
  const stripe = await fakeStripeFor({ autoDeliver: true });
  console.log(
    `chaos crash: ${config.buyers} buyers paying through (fake) Stripe; ${VICTIMS} times, the app is SIGKILLed after a checkout committed and before it answered.`,
  );
  const h = await startHarness('chaos_crash', stripe.env);
  const upstream = new URL(h.databaseUrl);
  const proxy = new PgCountProxy({ host: upstream.hostname, port: Number(upstream.port) });
  const proxied = new URL(h.databaseUrl);
  proxied.port = String(await proxy.listen());
  return onHarness(
    h,
    async () => {
      const prepared = await prepareOnSale(h.handle.db, config);
      await h.app.start({ DATABASE_URL: proxied.toString() });
      stripe.target(h.app.url);
      await warmSessions(h.app.url, prepared);
      const client = new HttpClient(h.app.url, undefined, { maxSockets: config.maxSockets });
      const sale = runOnSale(client, prepared, config);
      type Crash = {
        key: string;
        orderId: string;
        first: number;
        killMs: number;
        restartMs: number;
        retryMs: number;
        retryStatus: number;
        sameOrder: boolean;
        sameTickets: boolean;
        retries: number;
      };
      const crashes: Crash[] = [];
      const misses: string[] = [];
      // The victims shop at the far end of the hall, away from the crowd's random picks.
      let seatCursor = prepared.seatIds.length;
      for (let v = 0; v < VICTIMS * 3 && crashes.length < VICTIMS; v++) {
        await sleep(3_000);
        const account = prepared.buyers[config.buyers + v]!;
        const victim = new Shopper(client, account.cookie, `10.250.0.${v + 1}`);
        await victim.admit(prepared.eventId);
        const held = await victim.hold(prepared.eventId, prepared.seatIds.slice((seatCursor -= 2), seatCursor + 2));
        if (held.status !== 201) {
          misses.push(`hold ${held.status}`);
          continue;
        }
        const holdId = (held.body as { id: string }).id;
        const key = crypto.randomUUID();
        // The victim's order ids come back in the reply to its checkout_begin (which carries its key); the proxy then
        // freezes the reply to the finalisation of one of them.
        let orderIds: string[] = [];
        proxy.watchReply(
          (text, bind) => text.includes('checkout_begin') && bind.includes(key),
          (reply) => (orderIds = reply.toString('latin1').match(UUID) ?? []),
        );
        const frozen = proxy.freezeReplyTo(
          (text, bind) => text.includes('checkout_finalise') && orderIds.some((id) => bind.includes(id)),
        );
        const answer = victim.checkout(holdId, key);
        let answered = false;
        void answer.then(() => (answered = true));
        let recordId: string | undefined;
        {
          for (let i = 0; i < 2_000 && !recordId && !answered; i++) {
            const [row] = await rows<{ id: string }>(
              h.handle.db,
              sql`select id from idempotency_keys where key = ${key}`,
            );
            if (row) recordId = row.id;
            else await sleep(2);
          }
          const inTime = await Promise.race([
            frozen.then(() => true),
            answer.then(() => false),
            sleep(10_000).then(() => false),
          ]);
          if (!recordId || !inTime) {
            proxy.disarm();
            misses.push(recordId ? 'the checkout answered before the freeze' : 'no idempotency record');
            await answer;
            continue;
          }
          // The reply is held; wait for the commit of the paid order (charge + tickets) to be visible, then kill.
          let paidAt = 0;
          for (let i = 0; i < 500 && !paidAt; i++) {
            const [order] = await rows<{ status: string }>(
              h.handle.db,
              sql`select status from orders where id = ${recordId}`,
            );
            if (order?.status === 'paid') paidAt = Date.now();
            else await sleep(10);
          }
          if (!paidAt) {
            misses.push('order never paid');
            await h.app.kill();
            await answer;
            client.reset();
            await h.app.start();
            continue;
          }
          await h.app.kill();
          const killMs = Date.now() - paidAt;
          const first = await answer;
          const t = Date.now();
          client.reset();
          await h.app.start();
          const restartMs = Date.now() - t;
          // The buyer retries with the same key (and body) until the answer is not "still running".
          const retryStarted = Date.now();
          let retry = await victim.checkout(holdId, key);
          let retries = 1;
          while (
            (retry.status === 409 && (retry.body as { code?: string }).code === 'IDEMPOTENCY_KEY_IN_PROGRESS') ||
            retry.status === 503 ||
            retry.status <= 0
          ) {
            if (Date.now() - retryStarted > 120_000) break;
            await sleep(1_000);
            retry = await victim.checkout(holdId, key);
            retries++;
          }
          const body = retry.body as { orderId?: string; ticketIds?: string[] };
          const tickets = (
            await rows<{ id: string }>(
              h.handle.db,
              sql`select id from tickets where order_id = ${recordId} and status = 'valid' order by id`,
            )
          ).map((r) => r.id);
          crashes.push({
            key,
            orderId: recordId,
            first: first.status,
            killMs,
            restartMs,
            retryMs: Date.now() - retryStarted,
            retryStatus: retry.status,
            sameOrder: body.orderId === recordId,
            sameTickets:
              JSON.stringify([...(body.ticketIds ?? [])].sort()) === JSON.stringify(tickets) && tickets.length === 2,
            retries,
          });
          // And once more: a replay answers the same at once.
          const again = await victim.checkout(holdId, key);
          if (again.status !== retry.status || (again.body as { orderId?: string }).orderId !== body.orderId)
            misses.push(`replay differs: ${again.status}`);
          console.log(
            `  crash ${crashes.length}: killed ${killMs} ms after the commit (client got ${first.status <= 0 ? 'no answer' : first.status}); restart ${fmt(restartMs / 1000, 1)} s; retry with the same key -> ${retry.status} after ${fmt((Date.now() - retryStarted) / 1000, 1)} s (${retries} tries)`,
          );
        }
      }
      const record = await sale;
      client.close();
      await stripe.fake.settled();
      const audit = await auditSale(h.handle.db, [prepared.eventId]);
      const charges = chargesByOrder(stripe.fake);
      const twice = [...charges.entries()].filter(([, n]) => n > 1);
      const [paidRows] = await rows<{ n: number }>(
        h.handle.db,
        sql`select count(*)::int as n from orders where event_id = ${prepared.eventId} and status in ('paid', 'refunded', 'cancelled')`,
      );
      const succeeded = stripe.fake.succeededCharges();
      const clientPaid = new Set(record.orders.map((o) => o.orderId));
      const paidIds = new Set(
        (await rows<{ id: string }>(h.handle.db, sql`select id from orders where status = 'paid'`)).map((o) => o.id),
      );
      console.log(`
sale: ${record.orders.length} orders seen paid by the crowd, ${record.buyersDone} buyers done, gave up ${JSON.stringify(record.gaveUp)}
stripe: ${succeeded} succeeded PaymentIntents for ${charges.size} orders; database: ${JSON.stringify(audit.counts)}
${misses.length ? `attempts that did not hit the window: ${misses.join('; ')}` : ''}
`);
      return verdict([
        [
          `the app was killed between commit and answer ${VICTIMS} times`,
          crashes.length === VICTIMS && crashes.every((c) => c.first <= 0),
          crashes.map((c) => `first answer ${c.first <= 0 ? 'none' : c.first}`).join(', ') || 'never',
        ],
        [
          'the retry with the same Idempotency-Key returns the same order',
          crashes.length > 0 && crashes.every((c) => c.retryStatus === 201 && c.sameOrder),
          crashes
            .map(
              (c) =>
                `${c.retryStatus} ${c.sameOrder ? 'same order' : 'OTHER ORDER'} after ${fmt(c.retryMs / 1000, 1)} s`,
            )
            .join(', '),
        ],
        [
          '... with the same tickets',
          crashes.length > 0 && crashes.every((c) => c.sameTickets),
          crashes.map((c) => (c.sameTickets ? 'same' : 'DIFFERENT')).join(', '),
        ],
        [
          'no double charge at Stripe (succeeded PaymentIntents per order <= 1)',
          twice.length === 0 && succeeded === charges.size,
          `${twice.length} orders charged twice; ${succeeded} charges for ${charges.size} orders`,
        ],
        [
          'every charge belongs to an order that is paid (or refunded)',
          succeeded <= paidRows!.n,
          `${succeeded} charges, ${paidRows!.n} paid/refunded orders`,
        ],
        [
          'every order the crowd saw paid is paid',
          [...clientPaid].every((id) => paidIds.has(id)),
          `${[...clientPaid].filter((id) => paidIds.has(id)).length} of ${clientPaid.size}`,
        ],
        auditCriterion(audit),
      ]);
    },
    async () => {
      await proxy.close();
      await stripe.fake.close();
    },
  );
}
