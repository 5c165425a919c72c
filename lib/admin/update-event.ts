import 'server-only';
import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { events, venues } from '@/db/schema';
import {
  eventInputSchema,
  eventPatchSchema,
  PUBLISHED_LOCKED_FIELDS,
  type ParsedEventInput,
} from '@/lib/contracts/admin-event';
import { AppError } from '@/lib/errors';
import { assertId } from './ids';
import { forgetSaleRules } from '@/lib/inventory';
import { catalogChanged } from '@/lib/catalog/catalog-reads';
import { eventColumns, replaceTiers } from './create-event';
import { getEventForEdit } from './get-event-for-edit';
import { recordAudit } from './record-audit';

/** A field's value for "did it change": instants by their ISO form, assignments in any order. */
const comparable = (key: string, v: unknown) => {
  if (v instanceof Date) return v.toISOString();
  if (key === 'assignments' && Array.isArray(v)) return JSON.stringify(v.map((a) => JSON.stringify(a)).sort());
  return JSON.stringify(v);
};

/**
 * Applies an edit (only the fields present in `body`) over the stored event and validates the result as a whole.
 * A draft can change everything. A published event keeps its venue, currency, tiers and assignments (its seats were
 * copied with those prices, some may be sold); a cancelled event changes no more.
 */
export async function updateEvent(
  db: Database,
  eventId: string,
  body: Record<string, unknown>,
  actorId: string | null,
): Promise<{ changed: string[] }> {
  assertId(eventId, 'event');
  const patch = eventPatchSchema.parse(body);
  // Only what the client sent: zod fills defaults for absent fields, which must not overwrite stored values.
  const sent = Object.keys(body).filter((k) => k in patch) as (keyof ParsedEventInput)[];
  const result = await db.transaction(async (tx) => {
    await tx.select({ id: events.id }).from(events).where(eq(events.id, eventId)).for('update');
    const current = await getEventForEdit(tx, eventId);
    const status = current.event.status;
    if (status === 'cancelled')
      throw new AppError('INVALID_STATE', 'This event was cancelled; it can no longer be edited.');
    const changed = sent.filter(
      (k) => comparable(k, (patch as Record<string, unknown>)[k]) !== comparable(k, current.input[k]),
    );
    if (status === 'published') {
      const locked = changed.filter((k) => (PUBLISHED_LOCKED_FIELDS as readonly string[]).includes(k));
      if (locked.length) {
        throw new AppError(
          'INVALID_STATE',
          `After publishing, ${locked.join(', ')} cannot change: sold seats keep their venue, prices and currency.`,
          {
            lockedFields: locked,
          },
        );
      }
    }
    if (!changed.length) return { changed };
    const merged = eventInputSchema.parse({
      ...current.input,
      ...Object.fromEntries(changed.map((k) => [k, (patch as Record<string, unknown>)[k]])),
    });

    const [venue] = await tx.select().from(venues).where(eq(venues.id, merged.venueId));
    if (!venue)
      throw new AppError('VALIDATION_FAILED', 'That venue does not exist.', {
        errors: [{ path: 'venueId', message: 'unknown venue' }],
      });
    await tx
      .update(events)
      .set({
        ...eventColumns(merged, venue),
        updatedAt: new Date(),
      })
      .where(eq(events.id, eventId));
    if (
      status === 'draft' &&
      (changed.includes('tiers') || changed.includes('assignments') || changed.includes('venueId'))
    ) {
      await replaceTiers(tx, eventId, venue.id, merged.tiers, merged.assignments);
    }
    const pick = (from: Record<string, unknown>) => Object.fromEntries(changed.map((k) => [k, from[k]]));
    await recordAudit(tx, {
      actorId,
      action: 'event.update',
      entityType: 'event',
      entityId: eventId,
      before: pick(current.input),
      after: pick(merged),
    });
    return { changed };
  });
  if (result.changed.length) {
    forgetSaleRules(eventId);
    await catalogChanged(db);
  }
  return result;
}
