import { sql } from 'drizzle-orm';
import type { DatabaseHandle } from '@/db/client';
import { rows } from '@/db/sql';
import { SimulatedGateway } from '@/lib/checkout/simulated-gateway';
import { payForHold } from '@/lib/checkout/pay-for-hold';
import { getCoordinator } from '@/lib/coordination';
import { CircuitBreaker } from '@/lib/coordination/breaker';
import { placeHold } from '@/lib/inventory';
import { getEmailSender } from '@/lib/notifications/email-sender';
import { joinWaitlist } from '@/lib/waitlist/join-waitlist';

/** Demo buyers who bought every seat of the sold-out event (eight seats each, one order each). */
export const SOLD_OUT_BUYERS = [
  { email: 'sam@admitone.test', password: 'admitone-fan', name: 'Sam Early', role: 'customer' as const },
  { email: 'ola@admitone.test', password: 'admitone-fan', name: 'Ola Quick', role: 'customer' as const },
  { email: 'kit@admitone.test', password: 'admitone-fan', name: 'Kit Prompt', role: 'customer' as const },
];

/** Demo buyers on its waitlist, in order of joining: a party of two for the front row, four for any, two with a wheelchair. */
export const WAITLIST_PARTIES = [
  {
    account: { email: 'wes@admitone.test', password: 'admitone-fan', name: 'Wes Waiting', role: 'customer' as const },
    tier: 'Front row',
    partySize: 2,
    wheelchairSeats: 0,
  },
  {
    account: { email: 'lia@admitone.test', password: 'admitone-fan', name: 'Lia Hopeful', role: 'customer' as const },
    tier: null,
    partySize: 4,
    wheelchairSeats: 0,
  },
  {
    account: { email: 'ray@admitone.test', password: 'admitone-fan', name: 'Ray Patient', role: 'customer' as const },
    tier: 'Back row',
    partySize: 2,
    wheelchairSeats: 1,
  },
];

/**
 * Sells every seat of a published, on-sale event to `buyers` through the buyers' own path (placeHold, then payForHold
 * with the simulated gateway and a test card: orders paid, seats sold, tickets issued, the confirmation emails in the
 * outbox), then puts `waiting` on its waitlist through joinWaitlist. The clock is the seed's.
 */
export async function sellOutWithWaitlist(
  handle: DatabaseHandle,
  input: {
    eventId: string;
    buyers: { id: string; email: string }[];
    waiting: { userId: string; tier: string | null; partySize: number; wheelchairSeats: number }[];
    now: () => Date;
  },
): Promise<{ orders: number; seats: number; waiting: number }> {
  const { eventId, now } = input;
  const { queue, leases, seats } = getCoordinator();
  const deps = {
    db: handle.db,
    seats,
    now,
    breaker: new CircuitBreaker({ timeoutMs: 1_000, failureThreshold: 3, resetAfterMs: 1_000 }),
    queue,
    leases,
    payments: new SimulatedGateway(),
    email: getEmailSender(),
  };
  const seatIds = (
    await rows<{ id: number | string }>(
      handle.db,
      sql`select id from event_seats where event_id = ${eventId} and status = 'available' order by idx`,
    )
  ).map((r) => Number(r.id));
  const share = Math.ceil(seatIds.length / input.buyers.length);
  let orders = 0;
  for (const [i, buyer] of input.buyers.entries()) {
    const mine = seatIds.slice(i * share, (i + 1) * share);
    if (!mine.length) continue;
    const hold = await placeHold(deps, { eventId, userId: buyer.id, seatIds: mine });
    const paid = await payForHold(
      deps,
      { id: buyer.id, email: buyer.email, role: 'customer' },
      { holdId: hold.id, paymentMethodId: 'pm_card_visa' },
      crypto.randomUUID(),
    );
    if (paid.outcome !== 'paid') throw new Error(`the demo order ${paid.reference} was not paid`);
    orders++;
  }

  const tiers = await rows<{ id: string; name: string; price_minor: number }>(
    handle.db,
    sql`select id, name, price_minor from price_tiers where event_id = ${eventId}`,
  );
  const top = Math.max(...tiers.map((t) => t.price_minor));
  for (const party of input.waiting) {
    const tier = party.tier === null ? undefined : tiers.find((t) => t.name === party.tier);
    await joinWaitlist(handle.db, {
      eventId,
      userId: party.userId,
      now: now(),
      body: {
        priceTierId: tier?.id ?? null,
        partySize: party.partySize,
        maxPriceMinor: tier?.price_minor ?? top,
        wheelchairSeats: party.wheelchairSeats,
      },
    });
  }
  return { orders, seats: seatIds.length, waiting: input.waiting.length };
}
