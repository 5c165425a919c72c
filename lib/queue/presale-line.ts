import 'server-only';
import type { Database } from '@/db/client';
import type { Leases } from '@/lib/coordination/leases/port';
import type { PresaleWindow } from '@/lib/presale/account-access';
import { drawLine, type DrawOutcome } from './draw-prequeue';
import { presaleDrawRecords } from './presale-draws';
import { DEFAULT_PREQUEUE_LEAD_MS, type QueueEvent } from './policy';
import type { QueueStore } from './store/port';

/**
 * A presale's own line in the waiting room (docs/decisions/041-presales-and-access-codes.md): the same store and the
 * same admission rule as the event's line, under keys of its own, with the presale's start as its on-sale and the
 * presale's admission rate. Arrivals before the start are drawn at the start, as the general pre-queue is, and the
 * draw is published as the general one is.
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
 * The draw of a presale line's pre-queue at the presale's start: the general draw's code path (drawLine) with the
 * presale's own record, so it is committed to before the line opens and published after, as the event's is
 * (docs/fairness.md).
 */
export function drawPresaleLine(
  deps: { db: Database; queue: QueueStore; leases: Leases },
  eventId: string,
  presaleId: string,
  now: Date = new Date(),
): Promise<DrawOutcome> {
  return drawLine(deps, presaleLineId(eventId, presaleId), presaleDrawRecords(deps.db, eventId, presaleId), now);
}
