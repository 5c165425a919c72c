import 'server-only';
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { events, presales, priceTiers } from '@/db/schema';
import type { RedemptionResult } from '@/lib/contracts/presale';
import { isUuid } from '@/lib/contracts/uuid';
import { AppError } from '@/lib/errors';
import { redeemAccessCode } from './redeem-access-code';

/**
 * A buyer enters a presale code on an event's page (or follows /events/{id}?code=…): the use is counted against
 * their account, and the answer says what it unlocked. Drafts are not found; the counting is redeemAccessCode's.
 */
export async function redeemPresaleCode(
  db: Database,
  input: { eventId: string; userId: string; code: string },
): Promise<RedemptionResult> {
  const [event] = isUuid(input.eventId)
    ? await db.select({ status: events.status }).from(events).where(eq(events.id, input.eventId))
    : [];
  if (!event || event.status === 'draft') throw new AppError('NOT_FOUND', 'No such event.');
  if (event.status === 'cancelled') throw new AppError('EVENT_NOT_ON_SALE', 'This event was cancelled.');
  const redemption = await redeemAccessCode(db, input);
  const [presale] = redemption.presaleId
    ? await db
        .select({ id: presales.id, name: presales.name, startsAt: presales.startsAt, endsAt: presales.endsAt })
        .from(presales)
        .where(eq(presales.id, redemption.presaleId))
    : [];
  const tiers = redemption.tierIds.length
    ? await db
        .select({ id: priceTiers.id, name: priceTiers.name, priceMinor: priceTiers.priceMinor })
        .from(priceTiers)
        .where(and(eq(priceTiers.eventId, input.eventId), inArray(priceTiers.id, redemption.tierIds)))
    : [];
  return {
    eventId: input.eventId,
    counted: !redemption.already,
    presale: presale
      ? {
          id: presale.id,
          name: presale.name,
          startsAt: presale.startsAt.toISOString(),
          endsAt: presale.endsAt.toISOString(),
        }
      : null,
    hiddenTiers: tiers,
  };
}
