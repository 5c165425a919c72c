import 'server-only';
import { eventTag } from '@/lib/coordination/keys';
import type { Leases } from '@/lib/coordination/leases/port';
import type { PresaleWindow } from '@/lib/presale/account-access';
import { drawOrder, newSeed } from './fairness';
import { DEFAULT_PREQUEUE_LEAD_MS, type QueueEvent } from './policy';
import type { QueueStore } from './store/port';

/**
 * A presale's own line in the waiting room (docs/decisions/041-presales-and-access-codes.md): the same store and the
 * same admission rule as the event's line, under keys of its own, with the presale's start as its on-sale and the
 * presale's admission rate. Arrivals before the start are drawn at the start, as the general pre-queue is.
 */
export const presaleLineId = (eventId: string, presaleId: string) => `${eventId}:presale:${presaleId}`;

/** The presale line's settings, spelled as an event's so the queue's phase, policy and status apply unchanged. */
export const presaleLineEvent = (event: QueueEvent, presale: PresaleWindow): QueueEvent => ({
  ...event,
  onSaleAt: presale.startsAt,
  prequeueOpensAt: new Date(presale.startsAt.getTime() - DEFAULT_PREQUEUE_LEAD_MS),
  admissionRatePerMinute: presale.admissionRatePerMinute,
  // The line closes when the presale ends: its shoppers join the general line like everyone else after that.
  startsAt: presale.endsAt < event.startsAt ? presale.endsAt : event.startsAt,
});

/** The presale a buyer's codes put them in line for now: open, or opening within the pre-queue lead. */
export const presaleLineFor = (presales: readonly PresaleWindow[], now: Date): PresaleWindow | undefined =>
  presales.find((p) => now < p.endsAt && now.getTime() >= p.startsAt.getTime() - DEFAULT_PREQUEUE_LEAD_MS);

/**
 * The draw of a presale line's pre-queue at the presale's start: one caller at a time (a lease), a fresh random seed,
 * the same keyed-hash order as the general draw. Unlike the general draw it is not published (the entrants are the
 * code holders of one presale, and their number is the organizer's); a crash between closing and applying is
 * repaired by the next caller, which draws whoever is still in the pre-queue.
 */
export async function drawPresaleLine(
  deps: { queue: QueueStore; leases: Leases },
  lineId: string,
): Promise<'drawn' | 'busy'> {
  const lease = `${eventTag(lineId)}:q:draw-lease`;
  const owner = crypto.randomUUID();
  if (!(await deps.leases.acquire(lease, owner, 60_000))) return 'busy';
  try {
    const order = drawOrder(newSeed(), await deps.queue.closePrequeue(lineId));
    for (let i = 0; i < order.length || i === 0; i += 2_000)
      await deps.queue.applyDraw(lineId, order.slice(i, i + 2_000), i, i + 2_000 >= order.length);
    return 'drawn';
  } finally {
    await deps.leases.release(lease, owner).catch(() => {});
  }
}
