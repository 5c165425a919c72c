import 'server-only';
import { sql } from 'drizzle-orm';
import { rows, ts } from '@/db/sql';
import { recordChange } from './change-feed';
import type { InventoryDeps } from './deps';
import { holdExpiries } from './metrics';

/**
 * Tidies up after expired holds: their seats already count as available to the next hold (every conditional update
 * accepts a passed held_until), so this only makes the rows say so, ends the holds, and publishes the change.
 * Driven by the holds whose time passed (holds_active_expiry_idx), their seats found by primary key. Safe to run
 * from several processes at once (one of them takes the turn); returns how many seats it freed.
 */
export async function sweepExpiredHolds(deps: InventoryDeps, options: { batch?: number } = {}): Promise<number> {
  const now = deps.now();
  const freed = await deps.db.transaction(async (tx) => {
    // One sweeper at a time across all app instances; the others skip this round.
    const [turn] = await rows<{ mine: boolean }>(
      tx,
      sql`select pg_try_advisory_xact_lock(hashtextextended('admitone:sweep-expired-holds', 0)) as mine`,
    );
    if (!turn?.mine) return 0;
    const expired = await rows<{ id: string; seat_ids: (number | string)[] }>(
      tx,
      sql`select id, seat_ids from holds where status = 'active' and expires_at <= ${ts(now)} order by expires_at limit ${options.batch ?? 1_000}`,
    );
    if (expired.length === 0) return 0;
    const seatIds = expired.flatMap((h) => h.seat_ids.map(Number)).sort((a, b) => a - b);
    const holdIds = expired.map((h) => h.id);
    // Seats still held by those holds (others were taken since by a new hold, or sold to a late payment).
    const seats = await rows<{ event_id: string; idx: number; rev: number }>(
      tx,
      // Seats a buyer is taking right now are skipped (they are that buyer's), so the sweep never waits or deadlocks.
      sql`with expired as (
            select id from event_seats where id = any(${`{${seatIds.join(',')}}`}::bigint[]) and status = 'held'
               and hold_id = any(${`{${holdIds.join(',')}}`}::uuid[]) and held_until <= ${ts(now)}
            order by id for update skip locked
          )
          update event_seats s set rev = s.rev + 1, status = 'available', hold_id = null, hold_state = null, held_by = null, held_until = null
          from expired where s.id = expired.id
          returning s.event_id, s.idx, s.rev`,
    );
    const byEvent = new Map<string, { idx: number; rev: number }[]>();
    for (const seat of seats)
      byEvent.set(seat.event_id, [...(byEvent.get(seat.event_id) ?? []), { idx: seat.idx, rev: seat.rev }]);
    for (const [eventId, changed] of byEvent) await recordChange(tx, { eventId, status: 'available', seats: changed });
    // Those holds are over: no seat points at them any more (a seat extended meanwhile keeps its hold active).
    await tx.execute(
      sql`update holds h set status = 'expired', ended_at = ${ts(now)}
          where h.id = any(${`{${holdIds.join(',')}}`}::uuid[]) and h.status = 'active' and h.expires_at <= ${ts(now)}
            and not exists (select 1 from event_seats es where es.id = any(h.seat_ids) and es.hold_id = h.id)`,
    );
    return seats.length;
  });
  if (freed) holdExpiries.inc({}, freed);
  return freed;
}
