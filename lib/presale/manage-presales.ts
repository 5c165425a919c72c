import 'server-only';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { accessCodes, events, presales, priceTiers } from '@/db/schema';
import { PG, pgErrorCode } from '@/db/sql';
import type { AccessCodeInput, PresaleInput, TierVisibilityInput } from '@/lib/contracts/presale';
import { AppError } from '@/lib/errors';
import { recordAudit } from '@/lib/admin/record-audit';
import { forgetSaleRules } from '@/lib/inventory/sale-rules';
import { eventHasAccessCodes } from './account-access';

async function eventOrThrow(db: Database, eventId: string) {
  const [event] = await db
    .select({ id: events.id, onSaleAt: events.onSaleAt, startsAt: events.startsAt })
    .from(events)
    .where(eq(events.id, eventId));
  if (!event) throw new AppError('NOT_FOUND', 'No such event.');
  return event;
}

/** A presale window: it must end by the event's start (a presale after the start sells nothing). */
export async function createPresale(db: Database, input: PresaleInput, actorId: string): Promise<{ id: string }> {
  const event = await eventOrThrow(db, input.eventId);
  if (input.endsAt > event.startsAt)
    throw new AppError('VALIDATION_FAILED', 'A presale must end before the event starts.', {
      errors: [{ path: 'endsAt', message: 'must be before the event starts' }],
    });
  const [row] = await db
    .insert(presales)
    .values({
      eventId: input.eventId,
      name: input.name,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      admissionRatePerMinute: input.admissionRatePerMinute,
    })
    .returning({ id: presales.id });
  await recordAudit(db, {
    actorId,
    action: 'presale.create',
    entityType: 'event',
    entityId: input.eventId,
    after: input,
  });
  forgetSaleRules(input.eventId);
  return row!;
}

/** A presale code; its presale and tiers must be this event's, and the code unique within the event. */
export async function createAccessCode(db: Database, input: AccessCodeInput, actorId: string): Promise<{ id: string }> {
  await eventOrThrow(db, input.eventId);
  if (input.presaleId) {
    const [presale] = await db
      .select({ id: presales.id })
      .from(presales)
      .where(and(eq(presales.id, input.presaleId), eq(presales.eventId, input.eventId)));
    if (!presale)
      throw new AppError('VALIDATION_FAILED', 'No such presale for this event.', {
        errors: [{ path: 'presaleId', message: 'not a presale of this event' }],
      });
  }
  if (input.unlocksTierIds.length) {
    const tiers = await db
      .select({ id: priceTiers.id })
      .from(priceTiers)
      .where(
        and(
          eq(priceTiers.eventId, input.eventId),
          sql`${priceTiers.id} = any(${`{${input.unlocksTierIds.join(',')}}`}::uuid[])`,
        ),
      );
    if (tiers.length !== new Set(input.unlocksTierIds).size)
      throw new AppError('VALIDATION_FAILED', 'A tier the code unlocks is not a tier of this event.', {
        errors: [{ path: 'unlocksTierIds', message: 'not tiers of this event' }],
      });
  }
  try {
    const [row] = await db
      .insert(accessCodes)
      .values({
        eventId: input.eventId,
        code: input.code,
        presaleId: input.presaleId ?? null,
        unlocksTierIds: [...new Set(input.unlocksTierIds)],
        maxUses: input.maxUses,
        perAccountLimit: input.perAccountLimit,
      })
      .returning({ id: accessCodes.id });
    await recordAudit(db, {
      actorId,
      action: 'access-code.create',
      entityType: 'event',
      entityId: input.eventId,
      after: { ...input },
    });
    eventHasAccessCodes.forget(db, input.eventId);
    return row!;
  } catch (error) {
    if (pgErrorCode(error) === PG.uniqueViolation)
      throw new AppError('CONFLICT', `The code ${input.code} already exists for this event.`);
    throw error;
  }
}

/** Hides a tier from everyone without a code that unlocks it, or shows it again. */
export async function setTierHidden(db: Database, input: TierVisibilityInput, actorId: string): Promise<void> {
  const [row] = await db
    .update(priceTiers)
    .set({ hidden: input.hidden })
    .where(and(eq(priceTiers.id, input.tierId), eq(priceTiers.eventId, input.eventId)))
    .returning({ id: priceTiers.id });
  if (!row) throw new AppError('NOT_FOUND', 'No such price tier for this event.');
  await recordAudit(db, {
    actorId,
    action: input.hidden ? 'tier.hide' : 'tier.show',
    entityType: 'event',
    entityId: input.eventId,
    after: input,
  });
  forgetSaleRules(input.eventId);
}

export type PresaleOverview = {
  presales: { id: string; name: string; startsAt: Date; endsAt: Date; admissionRatePerMinute: number }[];
  codes: {
    id: string;
    code: string;
    presaleId: string | null;
    unlocksTierIds: string[];
    maxUses: number;
    uses: number;
    perAccountLimit: number;
  }[];
  tiers: { id: string; name: string; priceMinor: number; hidden: boolean }[];
};

/** The event's presales, codes with their use counts, and tiers (for the admin page). */
export async function getPresaleOverview(db: Database, eventId: string): Promise<PresaleOverview> {
  await eventOrThrow(db, eventId);
  const [windows, codes, tiers] = await Promise.all([
    db
      .select({
        id: presales.id,
        name: presales.name,
        startsAt: presales.startsAt,
        endsAt: presales.endsAt,
        admissionRatePerMinute: presales.admissionRatePerMinute,
      })
      .from(presales)
      .where(eq(presales.eventId, eventId))
      .orderBy(asc(presales.startsAt)),
    db
      .select({
        id: accessCodes.id,
        code: accessCodes.code,
        presaleId: accessCodes.presaleId,
        unlocksTierIds: accessCodes.unlocksTierIds,
        maxUses: accessCodes.maxUses,
        uses: accessCodes.uses,
        perAccountLimit: accessCodes.perAccountLimit,
      })
      .from(accessCodes)
      .where(eq(accessCodes.eventId, eventId))
      .orderBy(asc(accessCodes.createdAt)),
    db
      .select({
        id: priceTiers.id,
        name: priceTiers.name,
        priceMinor: priceTiers.priceMinor,
        hidden: priceTiers.hidden,
      })
      .from(priceTiers)
      .where(eq(priceTiers.eventId, eventId))
      .orderBy(asc(priceTiers.sortOrder), asc(priceTiers.name)),
  ]);
  return { presales: windows, codes, tiers };
}
