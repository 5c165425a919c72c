import 'server-only';
import { sql } from 'drizzle-orm';
import { rows, ts } from '@/db/sql';
import type { HoldResponse } from '@/lib/contracts/inventory';
import { AppError } from '@/lib/errors';
import { recordChange } from './change-feed';
import { bestEffort, type InventoryDeps } from './deps';
import { getOwnedHold, lockHoldSeats } from './release-hold';

/** Minutes added when payment starts: enough to type a card and pass a bank's check. */
export const HOLD_EXTENSION_MINUTES = 5;

/**
 * Extends an active hold once, when the buyer starts paying. The new end is the later of the old one and now,
 * plus HOLD_EXTENSION_MINUTES. A second extension is HOLD_ALREADY_EXTENDED; an ended or expired hold is HOLD_NOT_ACTIVE.
 */
export async function extendHold(deps: InventoryDeps, holdId: string, userId: string): Promise<HoldResponse> {
  const now = deps.now();
  const hold = await getOwnedHold(deps.db, holdId, userId);
  const expiresAt = new Date(hold.expires_at);
  const refuse = (h: { status: string; expires_at: Date | string; extended_at: Date | string | null }) => {
    if (h.status !== 'active' || new Date(h.expires_at) <= now)
      throw new AppError('HOLD_NOT_ACTIVE', 'This hold has ended; choose your seats again.');
    if (h.extended_at)
      throw new AppError('HOLD_ALREADY_EXTENDED', 'This hold was already extended once.', {
        expiresAt: new Date(h.expires_at).toISOString(),
      });
  };
  refuse(hold);
  const until = new Date(Math.max(expiresAt.getTime(), now.getTime()) + HOLD_EXTENSION_MINUTES * 60_000);
  const heldSeatIds = await deps.db.transaction(async (tx) => {
    const seats = await lockHoldSeats(tx, hold);
    // A seat is taken from a hold only once the hold has ended: if one is gone, another buyer's clock already saw
    // this hold expire (ours was read a moment earlier). Extending it now would revive a hold short of a seat.
    if (seats.length !== hold.seat_ids.length)
      throw new AppError('HOLD_NOT_ACTIVE', 'This hold has ended; choose your seats again.');
    const extended = await rows<{ id: string }>(
      tx,
      sql`update holds set expires_at = ${ts(until)}, extended_at = ${ts(now)}
          where id = ${holdId} and status = 'active' and extended_at is null and expires_at > ${ts(now)} returning id`,
    );
    if (extended.length === 0) {
      refuse(await getOwnedHold(tx, holdId, userId)); // it changed meanwhile: say how
      throw new AppError('HOLD_NOT_ACTIVE', 'This hold has ended; choose your seats again.');
    }
    const moved = await rows<{ idx: number; rev: number }>(
      tx,
      sql`update event_seats set rev = rev + 1, held_until = ${ts(until)}
          where id = any(${`{${seats.map((s) => s.id).join(',')}}`}::bigint[]) and hold_id = ${holdId} and status = 'held'
          returning idx, rev`,
    );
    await recordChange(tx, { eventId: hold.event_id, status: 'held', seats: moved, heldBy: userId, heldUntil: until });
    return seats.map((s) => s.id);
  });
  await bestEffort(deps, 'extend claims', () =>
    deps.seats.extend(hold.event_id, heldSeatIds, userId, until.getTime() - now.getTime()),
  );
  return {
    id: holdId,
    eventId: hold.event_id,
    seatIds: hold.seat_ids.map(Number),
    expiresAt: until.toISOString(),
    serverTime: deps.now().toISOString(),
    status: 'active',
    extended: true,
  };
}
