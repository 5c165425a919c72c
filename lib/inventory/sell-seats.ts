import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows } from '@/db/sql';
import { recordChange } from './change-feed';
import { bestEffort, freeInFilter, type InventoryDeps } from './deps';

const idArray = (ids: number[]) => `{${ids.join(',')}}`;

/** After the sale committed: the filter refuses these seats from now on, without asking PostgreSQL. */
export async function afterSeatsSold(deps: InventoryDeps, eventId: string, seatIds: number[]): Promise<void> {
  await bestEffort(deps, 'mark sold', () =>
    deps.seats.markTaken(
      eventId,
      seatIds.map((seatId) => ({ seatId, untilMs: null })),
    ),
  );
}

/**
 * Inside a cancellation transaction, after the seats' tickets were voided: sold seats go back on sale.
 * Seats that are not sold are left alone (a repeated cancellation changes nothing).
 */
export async function returnSeatsToSale(
  tx: Database,
  input: { eventId: string; seatIds: number[] },
): Promise<number[]> {
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
  await bestEffort(deps, 'mark blocked', () =>
    deps.seats.markTaken(
      eventId,
      seatIds.map((seatId) => ({ seatId, untilMs: null })),
    ),
  );
}

/** Box office: puts blocked seats back on sale. Follow with afterSeatsReturned. */
export async function unblockSeats(tx: Database, input: { eventId: string; seatIds: number[] }): Promise<number[]> {
  return moveSeats(tx, input, 'blocked', 'available');
}

/** Moves the listed seats that are in `from` to `to` (others are left alone) and publishes the change. */
async function moveSeats(
  tx: Database,
  input: { eventId: string; seatIds: number[] },
  from: 'sold' | 'available' | 'blocked',
  to: 'available' | 'blocked',
): Promise<number[]> {
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
