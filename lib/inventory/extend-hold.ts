import 'server-only';
import { sql } from 'drizzle-orm';
import { rows, ts } from '@/db/sql';
import type { HoldResponse } from '@/lib/contracts/inventory';
import { AppError } from '@/lib/errors';
import { recordChange } from './change-feed';
import { bestEffort, type InventoryDeps } from './deps';
import { lockOwnedHold } from './release-hold';

/** Minutes added when payment starts: enough to type a card and pass a bank's check. */
export const HOLD_EXTENSION_MINUTES = 5;

/**
 * Extends an active hold once, when the buyer starts paying. The new end is the later of the old one and now,
 * plus HOLD_EXTENSION_MINUTES. A second extension is HOLD_ALREADY_EXTENDED; an ended or expired hold is HOLD_NOT_ACTIVE.
 */
export async function extendHold(deps: InventoryDeps, holdId: string, userId: string): Promise<HoldResponse> {
  const now = deps.now();
  const result = await deps.db.transaction(async (tx) => {
    const hold = await lockOwnedHold(tx, holdId, userId);
    const [current] = await rows<{ expires_at: Date | string; extended_at: Date | string | null }>(tx, sql`select expires_at, extended_at from holds where id = ${holdId}`);
    const expiresAt = new Date(current!.expires_at);
    if (hold.status !== 'active' || expiresAt <= now) throw new AppError('HOLD_NOT_ACTIVE', 'This hold has ended; choose your seats again.');
    if (current!.extended_at) throw new AppError('HOLD_ALREADY_EXTENDED', 'This hold was already extended once.', { expiresAt: expiresAt.toISOString() });
    const until = new Date(Math.max(expiresAt.getTime(), now.getTime()) + HOLD_EXTENSION_MINUTES * 60_000);
    const seats = await rows<{ id: number | string; idx: number }>(
      tx,
      sql`update event_seats set held_until = ${ts(until)} where hold_id = ${holdId} and status = 'held' returning id, idx`,
    );
    await tx.execute(sql`update holds set expires_at = ${ts(until)}, extended_at = ${ts(now)} where id = ${holdId}`);
    await recordChange(tx, { eventId: hold.event_id, status: 'held', positions: seats.map((s) => s.idx), heldBy: userId, heldUntil: until });
    return { eventId: hold.event_id, until, seatIds: hold.seat_ids.map(Number), heldSeatIds: seats.map((s) => Number(s.id)) };
  });
  await bestEffort(deps, 'extend claims', () => deps.coordinator.extendSeats(result.eventId, result.heldSeatIds, userId, result.until.getTime() - now.getTime()));
  return {
    id: holdId,
    eventId: result.eventId,
    seatIds: result.seatIds,
    expiresAt: result.until.toISOString(),
    serverTime: deps.now().toISOString(),
    status: 'active',
    extended: true,
  };
}
