import 'server-only';
import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { events, priceTiers, sections, tierAssignments, venues } from '@/db/schema';
import { eventInputSchema, type EventInput, type ParsedEventInput } from '@/lib/contracts/admin-event';
import { AppError } from '@/lib/errors';
import { recordAudit } from './record-audit';

export const searchDocument = (
  e: { name: string; performer: string; city: string; category: string },
  venueName: string,
) => [e.name, e.performer, venueName, e.city, e.category].join(' ');

const slugify = (text: string) =>
  text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/[\s_-]+/g, '-')
    .slice(0, 60);

/** The event row's columns from a validated form and its venue (create and edit write the same ones). */
export const eventColumns = (data: ParsedEventInput, venue: { id: string; name: string; city: string }) => ({
  name: data.name,
  performer: data.performer,
  category: data.category,
  description: data.description,
  imageUrl: data.imageUrl ?? null,
  city: venue.city,
  venueId: venue.id,
  startsAt: data.startsAt,
  timezone: data.timezone,
  onSaleAt: data.onSaleAt,
  currency: data.currency,
  highDemand: data.highDemand,
  perOrderLimit: data.perOrderLimit,
  perAccountLimit: data.perAccountLimit,
  holdMinutes: data.holdMinutes,
  waitlistOfferMinutes: data.waitlistOfferMinutes,
  feePerTicketMinor: data.feePerTicketMinor,
  taxMode: data.taxMode,
  taxRateBp: data.taxMode === 'none' ? 0 : data.taxRateBp,
  taxLabel: data.taxMode === 'none' ? '' : data.taxLabel,
  taxFees: data.taxMode !== 'none' && data.taxFees,
  queueCapacity: data.queueCapacity,
  admissionRatePerMinute: data.admissionRatePerMinute,
  shoppingWindowMinutes: data.shoppingWindowMinutes,
  prequeueOpensAt: data.prequeueOpensAt ?? null,
  refundPolicy: data.refundPolicy,
  searchDocument: searchDocument({ ...data, city: venue.city }, venue.name),
});

/** Creates a draft event with its price tiers and their assignment to sections or rows. */
export async function createEvent(
  db: Database,
  input: EventInput,
  actorId: string | null,
): Promise<{ id: string; slug: string }> {
  const data = eventInputSchema.parse(input);
  return db.transaction(async (tx) => {
    const [venue] = await tx.select().from(venues).where(eq(venues.id, data.venueId));
    if (!venue)
      throw new AppError('VALIDATION_FAILED', 'That venue does not exist.', {
        errors: [{ path: 'venueId', message: 'unknown venue' }],
      });
    const slug = `${slugify(`${data.name} ${venue.city}`)}-${crypto.randomUUID().slice(0, 6)}`;
    const [event] = await tx
      .insert(events)
      .values({
        slug,
        ...eventColumns(data, venue),
        createdBy: actorId,
      })
      .returning({ id: events.id });
    const eventId = event!.id;
    await replaceTiers(tx, eventId, venue.id, data.tiers, data.assignments);
    await recordAudit(tx, {
      actorId,
      action: 'event.create',
      entityType: 'event',
      entityId: eventId,
      after: { ...data, slug },
    });
    return { id: eventId, slug };
  });
}

/** Replaces a draft's tiers and assignments; unknown section labels are refused with their name. */
export async function replaceTiers(
  tx: Database,
  eventId: string,
  venueId: string,
  tiers: { name: string; priceMinor: number; color: string }[],
  assignments: { tier: string; sectionLabel: string; rowLabel?: string }[],
): Promise<void> {
  await tx.delete(tierAssignments).where(eq(tierAssignments.eventId, eventId));
  await tx.delete(priceTiers).where(eq(priceTiers.eventId, eventId));
  const tierRows = await tx
    .insert(priceTiers)
    .values(tiers.map((t, i) => ({ eventId, name: t.name, priceMinor: t.priceMinor, color: t.color, sortOrder: i })))
    .returning({ id: priceTiers.id, name: priceTiers.name });
  const tierIds = new Map(tierRows.map((t) => [t.name.toLowerCase(), t.id]));
  if (assignments.length === 0) return;
  const venueSections = await tx
    .select({ id: sections.id, label: sections.label })
    .from(sections)
    .where(eq(sections.venueId, venueId));
  const sectionIds = new Map(venueSections.map((s) => [s.label.toLowerCase(), s.id]));
  const unknown = assignments.filter((a) => !sectionIds.has(a.sectionLabel.toLowerCase())).map((a) => a.sectionLabel);
  if (unknown.length) {
    throw new AppError('VALIDATION_FAILED', `The venue has no section ${[...new Set(unknown)].join(', ')}.`, {
      errors: [{ path: 'assignments', message: `unknown sections: ${[...new Set(unknown)].join(', ')}` }],
    });
  }
  await tx.insert(tierAssignments).values(
    assignments.map((a) => ({
      eventId,
      priceTierId: tierIds.get(a.tier.toLowerCase())!,
      sectionId: sectionIds.get(a.sectionLabel.toLowerCase())!,
      rowLabel: a.rowLabel ?? null,
    })),
  );
}
