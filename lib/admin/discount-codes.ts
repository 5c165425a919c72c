import 'server-only';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { discountCodes, events } from '@/db/schema';
import { PG, pgErrorCode } from '@/db/sql';
import {
  discountCodeInputSchema,
  type DiscountCodeInput,
  type DiscountCodeSummary,
} from '@/lib/contracts/discount-code';
import { isUuid } from '@/lib/contracts/uuid';
import { AppError } from '@/lib/errors';
import { recordAudit } from './record-audit';

async function eventOrThrow(db: Database, eventId: string) {
  if (!isUuid(eventId)) throw new AppError('NOT_FOUND', 'No such event.');
  const [event] = await db
    .select({ id: events.id, status: events.status, currency: events.currency })
    .from(events)
    .where(eq(events.id, eventId));
  if (!event) throw new AppError('NOT_FOUND', 'No such event.');
  return event;
}

/** The event's codes, newest first, with what each has been used for. */
export async function listDiscountCodes(db: Database, eventId: string): Promise<DiscountCodeSummary[]> {
  await eventOrThrow(db, eventId);
  const found = await db
    .select({
      code: discountCodes,
      // Qualified by hand: drizzle writes a column of the selected table unqualified, which inside the subquery
      // would name the order's own id.
      paidOrders: sql<number>`(select count(*)::int from orders o where o.discount_code_id = "discount_codes"."id" and o.status = 'paid')`,
      discountedMinor: sql<number>`(select coalesce(sum(o.discount_minor), 0)::int from orders o where o.discount_code_id = "discount_codes"."id" and o.status = 'paid')`,
    })
    .from(discountCodes)
    .where(eq(discountCodes.eventId, eventId))
    .orderBy(desc(discountCodes.createdAt));
  return found.map(({ code: c, paidOrders, discountedMinor }) => ({
    id: c.id,
    code: c.code,
    kind: c.kind,
    value: c.value,
    scope: c.scope,
    maxUses: c.maxUses,
    perAccountLimit: c.perAccountLimit,
    validFrom: c.validFrom?.toISOString() ?? null,
    validUntil: c.validUntil?.toISOString() ?? null,
    active: c.active,
    usesCount: c.usesCount,
    paidOrders: Number(paidOrders),
    discountedMinor: Number(discountedMinor),
    createdAt: c.createdAt.toISOString(),
  }));
}

/** A new code for the event; its terms never change afterwards (withdraw it and make another). */
export async function createDiscountCode(
  db: Database,
  eventId: string,
  input: DiscountCodeInput,
  actorId: string,
): Promise<{ id: string; code: string }> {
  const data = discountCodeInputSchema.parse(input);
  const event = await eventOrThrow(db, eventId);
  if (event.status === 'cancelled') throw new AppError('INVALID_STATE', 'This event was cancelled.');
  try {
    return await db.transaction(async (tx) => {
      const [created] = await tx
        .insert(discountCodes)
        .values({
          eventId,
          code: data.code,
          kind: data.kind,
          value: data.value,
          scope: data.scope,
          maxUses: data.maxUses ?? null,
          perAccountLimit: data.perAccountLimit ?? null,
          validFrom: data.validFrom ?? null,
          validUntil: data.validUntil ?? null,
          createdBy: actorId,
        })
        .returning({ id: discountCodes.id, code: discountCodes.code });
      await recordAudit(tx, {
        actorId,
        action: 'discount_code.create',
        entityType: 'event',
        entityId: eventId,
        after: { ...data, id: created!.id },
      });
      return created!;
    });
  } catch (error) {
    if (pgErrorCode(error) === PG.uniqueViolation)
      throw new AppError('VALIDATION_FAILED', `This event already has a code ${data.code}.`, {
        errors: [{ path: 'code', message: 'already used for this event' }],
      });
    throw error;
  }
}

/**
 * Withdraws a code (buyers can no longer apply it; orders that used it keep their discount) or brings it back.
 */
export async function setDiscountCodeActive(
  db: Database,
  eventId: string,
  codeId: string,
  active: boolean,
  actorId: string,
): Promise<void> {
  if (!isUuid(eventId) || !isUuid(codeId)) throw new AppError('NOT_FOUND', 'No such discount code.');
  await db.transaction(async (tx) => {
    const [updated] = await tx
      .update(discountCodes)
      .set({ active })
      .where(and(eq(discountCodes.id, codeId), eq(discountCodes.eventId, eventId)))
      .returning({ code: discountCodes.code });
    if (!updated) throw new AppError('NOT_FOUND', 'No such discount code.');
    await recordAudit(tx, {
      actorId,
      action: active ? 'discount_code.activate' : 'discount_code.withdraw',
      entityType: 'event',
      entityId: eventId,
      after: { codeId, code: updated.code, active },
    });
  });
}
