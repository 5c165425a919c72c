import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows, ts } from '@/db/sql';
import { recordChange, type ChangedSeat } from './change-feed';
import { bestEffort, freeInFilter, type InventoryDeps } from './deps';

const idArray = (ids: number[]) => `{${ids.join(',')}}`;

/**
 * Inside the checkout's finalisation transaction: marks the seats sold if every one is still held by this hold
 * (even past its time: the buyer paid) or is free (available, or held by a hold that has expired). Otherwise
 * nothing changes (a savepoint undoes the partial update) and the lost seats are named. The caller inserts one
 * live ticket per seat in the same transaction: the database checks at commit that every sold seat has exactly one.
 * Then it calls `publishSale` with the seats answered here.
 */
export async function sellSeats(
  tx: Database,
  input: { eventId: string; holdId: string; userId: string; seatIds: number[]; now: Date },
): Promise<{ ok: true; seats: ChangedSeat[] } | { ok: false; lostSeatIds: number[] }> {
  const { eventId, holdId, seatIds, now } = input;
  try {
    const seats = await tx.transaction(async (savepoint) => {
      const sold = await rows<{ id: number | string; idx: number; rev: number }>(
        savepoint,
        // Locked in id order first, as every writer does, so two sales never deadlock.
        sql`with locked as (
              select id from event_seats where event_id = ${eventId} and id = any(${idArray(seatIds)}::bigint[]) order by id for update
            )
            update event_seats s
               set rev = s.rev + 1, status = 'sold', hold_id = null, hold_state = null, held_by = null, held_until = null
              from locked
             where s.id = locked.id
               and (s.status = 'available' or (s.status = 'held' and (s.hold_id = ${holdId} or s.held_until <= ${ts(now)})))
            returning s.id, s.idx, s.rev`,
      );
      if (sold.length !== seatIds.length) {
        const got = new Set(sold.map((r) => Number(r.id)));
        throw new SeatsLost(seatIds.filter((id) => !got.has(id)));
      }
      // A hold the sweeper already ended stays ended; its seats were free and are now sold.
      await savepoint.execute(sql`update holds set status = 'converted', ended_at = ${ts(now)} where id = ${holdId} and status = 'active'`);
      return sold.map((s) => ({ idx: s.idx, rev: s.rev }));
    });
    return { ok: true, seats };
  } catch (error) {
    if (error instanceof SeatsLost) return { ok: false, lostSeatIds: error.lostSeatIds };
    throw error;
  }
}

/** The sale goes on the seat maps' change feed, in the sale's transaction. */
export async function publishSale(tx: Database, eventId: string, seats: ChangedSeat[]): Promise<void> {
  await recordChange(tx, { eventId, status: 'sold', seats });
}

class SeatsLost extends Error {
  constructor(readonly lostSeatIds: number[]) {
    super(`seats no longer available: ${lostSeatIds.join(', ')}`);
  }
}

/** After the sale committed: the filter refuses these seats from now on, without asking PostgreSQL. */
export async function afterSeatsSold(deps: InventoryDeps, eventId: string, seatIds: number[]): Promise<void> {
  await bestEffort(deps, 'mark sold', () => deps.seats.markTaken(eventId, seatIds.map((seatId) => ({ seatId, untilMs: null }))));
}

/**
 * Inside a cancellation transaction, after the seats' tickets were voided: sold seats go back on sale.
 * Seats that are not sold are left alone (a repeated cancellation changes nothing).
 */
export async function returnSeatsToSale(tx: Database, input: { eventId: string; seatIds: number[] }): Promise<number[]> {
  return moveSeats(tx, input, 'sold', 'available');
}

/** After seats came back (cancellation, unblocking): the filter forgets them. */
export async function afterSeatsReturned(deps: InventoryDeps, eventId: string, seatIds: number[]): Promise<void> {
  await freeInFilter(deps, 'clear returned seats', () => deps.seats.clear(eventId, seatIds));
}

/** Box office: takes available seats off sale (a kill or a house hold). Returns the seats that were blocked. */
export async function blockSeats(tx: Database, input: { eventId: string; seatIds: number[] }): Promise<number[]> {
  return moveSeats(tx, input, 'available', 'blocked');
}

/** After blocking committed: the filter refuses them at once. */
export async function afterSeatsBlocked(deps: InventoryDeps, eventId: string, seatIds: number[]): Promise<void> {
  await bestEffort(deps, 'mark blocked', () => deps.seats.markTaken(eventId, seatIds.map((seatId) => ({ seatId, untilMs: null }))));
}

/** Box office: puts blocked seats back on sale. Follow with afterSeatsReturned. */
export async function unblockSeats(tx: Database, input: { eventId: string; seatIds: number[] }): Promise<number[]> {
  return moveSeats(tx, input, 'blocked', 'available');
}

/** Moves the listed seats that are in `from` to `to` (others are left alone) and publishes the change. */
async function moveSeats(tx: Database, input: { eventId: string; seatIds: number[] }, from: 'sold' | 'available' | 'blocked', to: 'available' | 'blocked'): Promise<number[]> {
  const moved = await rows<{ id: number | string; idx: number; rev: number }>(
    tx,
    sql`with locked as (
          select id from event_seats where event_id = ${input.eventId} and id = any(${idArray(input.seatIds)}::bigint[]) and status = ${from} order by id for update
        )
        update event_seats s set rev = s.rev + 1, status = ${to}
        from locked where s.id = locked.id and s.status = ${from}
        returning s.id, s.idx, s.rev`,
  );
  await recordChange(tx, { eventId: input.eventId, status: to, seats: moved });
  return moved.map((s) => Number(s.id));
}
