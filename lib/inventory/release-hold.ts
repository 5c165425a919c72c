import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows, ts } from '@/db/sql';
import { AppError } from '@/lib/errors';
import { recordChange } from './change-feed';
import { freeInFilter, type InventoryDeps } from './deps';

export type OwnedHold = {
  id: string;
  event_id: string;
  user_id: string;
  status: string;
  seat_ids: (number | string)[];
  expires_at: Date | string;
  extended_at: Date | string | null;
};

/** Reads a hold for its owner; anyone else gets NOT_FOUND (not even whether it exists). */
export async function getOwnedHold(db: Database, holdId: string, userId: string): Promise<OwnedHold> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(holdId))
    throw new AppError('NOT_FOUND', 'No such hold.');
  const [hold] = await rows<OwnedHold>(
    db,
    sql`select id, event_id, user_id, status, seat_ids, expires_at, extended_at from holds where id = ${holdId}`,
  );
  if (!hold || hold.user_id !== userId) throw new AppError('NOT_FOUND', 'No such hold.');
  return hold;
}

/**
 * Locks the seats still pointing at a hold, in id order (by primary key, through the hold's own list of seats).
 * Every transaction that touches seats and holds locks seats first, then holds: one order, so they never deadlock.
 */
export async function lockHoldSeats(
  tx: Database,
  hold: Pick<OwnedHold, 'id' | 'seat_ids'>,
): Promise<{ id: number; idx: number }[]> {
  const ids = hold.seat_ids.map(Number).sort((a, b) => a - b);
  const locked = await rows<{ id: number | string; idx: number }>(
    tx,
    sql`select id, idx from event_seats where id = any(${`{${ids.join(',')}}`}::bigint[]) and hold_id = ${hold.id} order by id for update`,
  );
  return locked.map((s) => ({ id: Number(s.id), idx: s.idx }));
}

/**
 * Gives the seats of a hold back to the sale. Only the owner may (others get NOT_FOUND); releasing an ended hold
 * changes nothing and is not an error, so a retried release or a beacon after checkout is harmless.
 */
export async function releaseHold(deps: InventoryDeps, holdId: string, userId: string): Promise<{ released: number }> {
  const hold = await getOwnedHold(deps.db, holdId, userId);
  if (hold.status !== 'active') return { released: 0 };
  // A payment under way for these seats would end as "seats lost, refunded" if they went back on sale now.
  const [paying] = await rows<{ id: string }>(
    deps.db,
    sql`select id from orders where hold_id = ${holdId} and status = 'pending' limit 1`,
  );
  if (paying)
    throw new AppError(
      'INVALID_STATE',
      'A payment for these seats is being processed; they stay held until it finishes.',
      { orderId: paying.id },
    );
  const now = deps.now();
  const freed = await deps.db.transaction(async (tx) => {
    const seats = await lockHoldSeats(tx, hold);
    const freed = seats.length
      ? await rows<{ id: number | string; idx: number; rev: number }>(
          tx,
          sql`update event_seats set rev = rev + 1, status = 'available', hold_id = null, hold_state = null, held_by = null, held_until = null
              where id = any(${`{${seats.map((s) => s.id).join(',')}}`}::bigint[]) and hold_id = ${holdId} and status = 'held'
              returning id, idx, rev`,
        )
      : [];
    const ended = await rows<{ id: string }>(
      tx,
      sql`update holds set status = 'released', ended_at = ${ts(now)} where id = ${holdId} and status = 'active' returning id`,
    );
    if (ended.length === 0) return []; // ended meanwhile (converted, swept): nothing to do
    await recordChange(tx, { eventId: hold.event_id, status: 'available', seats: freed });
    return freed.map((s) => Number(s.id));
  });
  // The seats are free in PostgreSQL; let the filter forget them whoever it thinks has them.
  if (freed.length) await freeInFilter(deps, 'clear released seats', () => deps.seats.clear(hold.event_id, freed));
  return { released: freed.length };
}
