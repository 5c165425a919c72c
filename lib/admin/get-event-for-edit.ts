import 'server-only';
import { asc, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { events, priceTiers, sections, tierAssignments, venues, type Event } from '@/db/schema';
import type { ParsedEventInput } from '@/lib/contracts/admin-event';
import { AppError } from '@/lib/errors';
import { assertId } from './ids';

export type EventForEdit = {
  event: Event;
  venueName: string;
  /** The event as the form and PATCH see it: every field of eventInputSchema. */
  input: ParsedEventInput;
};

/** An event of any status with its tiers and their assignments by section and row label. */
export async function getEventForEdit(db: Database, id: string): Promise<EventForEdit> {
  assertId(id, 'event');
  const [found] = await db
    .select({ event: events, venueName: venues.name })
    .from(events)
    .innerJoin(venues, eq(venues.id, events.venueId))
    .where(eq(events.id, id));
  if (!found) throw new AppError('NOT_FOUND', 'No such event.');
  const { event } = found;
  const tiers = await db.select().from(priceTiers).where(eq(priceTiers.eventId, id)).orderBy(asc(priceTiers.sortOrder));
  const assignments = await db
    .select({ tierId: tierAssignments.priceTierId, sectionLabel: sections.label, rowLabel: tierAssignments.rowLabel })
    .from(tierAssignments)
    .innerJoin(sections, eq(sections.id, tierAssignments.sectionId))
    .where(eq(tierAssignments.eventId, id))
    .orderBy(asc(sections.sortOrder), asc(tierAssignments.rowLabel));
  const tierName = new Map(tiers.map((t) => [t.id, t.name]));
  return {
    event,
    venueName: found.venueName,
    input: {
      name: event.name,
      performer: event.performer,
      category: event.category,
      description: event.description,
      imageUrl: event.imageUrl,
      venueId: event.venueId,
      startsAt: event.startsAt,
      timezone: event.timezone,
      onSaleAt: event.onSaleAt,
      currency: event.currency,
      highDemand: event.highDemand,
      perOrderLimit: event.perOrderLimit,
      perAccountLimit: event.perAccountLimit,
      holdMinutes: event.holdMinutes,
      waitlistOfferMinutes: event.waitlistOfferMinutes,
      feePerTicketMinor: event.feePerTicketMinor,
      taxMode: event.taxMode,
      taxRateBp: event.taxRateBp,
      taxLabel: event.taxLabel,
      taxFees: event.taxFees,
      queueCapacity: event.queueCapacity,
      admissionRatePerMinute: event.admissionRatePerMinute,
      shoppingWindowMinutes: event.shoppingWindowMinutes,
      prequeueOpensAt: event.prequeueOpensAt,
      refundPolicy: event.refundPolicy,
      tiers: tiers.map((t) => ({ name: t.name, priceMinor: t.priceMinor, color: t.color })),
      assignments: assignments.map((a) => ({
        tier: tierName.get(a.tierId)!,
        sectionLabel: a.sectionLabel,
        ...(a.rowLabel ? { rowLabel: a.rowLabel } : {}),
      })),
    },
  };
}
