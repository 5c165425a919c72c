import 'server-only';
import { sql } from 'drizzle-orm';
import { rows, ts } from '@/db/sql';
import { AppError } from '@/lib/errors';
import { recordChange } from './change-feed';
import { bestEffort, type InventoryDeps } from './deps';

type OwnedHold = { id: string; event_id: string; user_id: string; status: string; seat_ids: (number | string)[] };

/** Reads a hold for its owner under a row lock; anyone else gets NOT_FOUND. */
export async function lockOwnedHold(tx: InventoryDeps['db'], holdId: string, userId: string): Promise<OwnedHold> {
  if (!/^[0-9a-f-]{36}$/i.test(holdId)) throw new AppError('NOT_FOUND', 'No such hold.');
  const [hold] = await rows<OwnedHold>(tx, sql`select id, event_id, user_id, status, seat_ids from holds where id = ${holdId} for update`);
  if (!hold || hold.user_id !== userId) throw new AppError('NOT_FOUND', 'No such hold.');
  return hold;
}

/**
 * Gives the seats of a hold back to the sale. Only the owner may (others get NOT_FOUND); releasing an ended hold
 * changes nothing and is not an error, so a retried release or a beacon after checkout is harmless.
 */
export async function releaseHold(deps: InventoryDeps, holdId: string, userId: string): Promise<{ released: number }> {
  const now = deps.now();
  const freed = await deps.db.transaction(async (tx) => {
    const hold = await lockOwnedHold(tx, holdId, userId);
    if (hold.status !== 'active') return null;
    const seats = await rows<{ id: number | string; idx: number }>(
      tx,
      sql`update event_seats set status = 'available', hold_id = null, hold_state = null, held_by = null, held_until = null
          where hold_id = ${holdId} and status = 'held' returning id, idx`,
    );
    await tx.execute(sql`update holds set status = 'released', ended_at = ${ts(now)} where id = ${holdId} and status = 'active'`);
    await recordChange(tx, { eventId: hold.event_id, status: 'available', positions: seats.map((s) => s.idx) });
    return { eventId: hold.event_id, seatIds: seats.map((s) => Number(s.id)) };
  });
  if (!freed) return { released: 0 };
  // The seats are free in PostgreSQL; let the filter forget them whoever it thinks has them.
  await bestEffort(deps, 'clear released seats', () => deps.coordinator.clearSeats(freed.eventId, freed.seatIds));
  return { released: freed.seatIds.length };
}
