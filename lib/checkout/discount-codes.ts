import 'server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { discountCodes, events, orders, type DiscountCode } from '@/db/schema';
import type { DiscountRule, TaxRule } from '@/lib/pricing/price-order';
import { discountCodeRefused, type DiscountRefusalReason } from './discount-code-refusal';

/** The event's tax rule as it stands now. */
export async function eventTaxRule(db: Database, eventId: string): Promise<TaxRule> {
  const [event] = await db
    .select({ mode: events.taxMode, rateBp: events.taxRateBp, label: events.taxLabel, taxFees: events.taxFees })
    .from(events)
    .where(eq(events.id, eventId));
  return event ?? { mode: 'none', rateBp: 0, label: '', taxFees: false };
}

/** The event's code as typed (any case), or undefined. */
export async function findDiscountCode(db: Database, eventId: string, code: string): Promise<DiscountCode | undefined> {
  const [found] = await db
    .select()
    .from(discountCodes)
    .where(and(eq(discountCodes.eventId, eventId), eq(discountCodes.code, code.trim().toUpperCase())));
  return found;
}

export const discountRule = (code: Pick<DiscountCode, 'kind' | 'value' | 'scope'>): DiscountRule => ({
  kind: code.kind,
  value: code.value,
  scope: code.scope,
});

/**
 * Why a code cannot be used by this buyer now, or null when it can: the checkout page's answer before payment.
 * The order's insert decides for good, under the code's row lock (migration 0015), with the same rules.
 */
export async function discountCodeProblem(
  db: Database,
  code: DiscountCode | undefined,
  userId: string,
  now: Date,
): Promise<DiscountRefusalReason | null> {
  if (!code) return 'unknown';
  if (!code.active) return 'inactive';
  if (code.validFrom && code.validFrom > now) return 'not_yet_valid';
  if (code.validUntil && code.validUntil <= now) return 'expired';
  if (code.maxUses !== null && code.usesCount >= code.maxUses) return 'exhausted';
  if (code.perAccountLimit !== null) {
    const [mine] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(orders)
      .where(
        and(eq(orders.discountCodeId, code.id), eq(orders.userId, userId), inArray(orders.status, ['pending', 'paid'])),
      );
    if ((mine?.n ?? 0) >= code.perAccountLimit) return 'account_limit';
  }
  return null;
}

/** Throws the buyer's problem when the code cannot be used; returns the code otherwise. */
export async function usableDiscountCodeOrThrow(
  db: Database,
  eventId: string,
  typed: string,
  userId: string,
  now: Date,
): Promise<DiscountCode> {
  const code = await findDiscountCode(db, eventId, typed);
  const problem = await discountCodeProblem(db, code, userId, now);
  if (problem) throw discountCodeRefused(problem);
  return code!;
}
