import 'server-only';
import { sql } from 'drizzle-orm';
import { rows, ts } from '@/db/sql';
import { recordChange } from './change-feed';
import type { InventoryDeps } from './deps';
import { holdExpiries } from './metrics';

/**
 * Tidies up after expired holds: their seats already count as available to the next hold (every conditional update
 * accepts a passed held_until), so this only makes the rows say so, ends the holds, and publishes the change.
 * Safe to run from several processes at once (SKIP LOCKED); returns how many seats it freed.
 */
export async function sweepExpiredHolds(deps: InventoryDeps, options: { batch?: number } = {}): Promise<number> {
  const now = deps.now();
  const freed = await deps.db.transaction(async (tx) => {
    // One sweeper at a time across all app instances; the others skip this round.
    const [turn] = await rows<{ mine: boolean }>(tx, sql`select pg_try_advisory_xact_lock(hashtextextended('admitone:sweep-expired-holds', 0)) as mine`);
    if (!turn?.mine) return 0;
    const seats = await rows<{ event_id: string; idx: number }>(
      tx,
      sql`with expired as (
            select id from event_seats where status = 'held' and held_until <= ${ts(now)}
            order by id limit ${options.batch ?? 5_000} for update skip locked
          )
          update event_seats s set status = 'available', hold_id = null, hold_state = null, held_by = null, held_until = null
            from expired where s.id = expired.id
          returning s.event_id, s.idx`,
    );
    const byEvent = new Map<string, number[]>();
    for (const seat of seats) byEvent.set(seat.event_id, [...(byEvent.get(seat.event_id) ?? []), seat.idx]);
    // In event id order, so two sweepers never lock version rows in opposite orders.
    for (const eventId of [...byEvent.keys()].sort()) await recordChange(tx, { eventId, status: 'available', positions: byEvent.get(eventId)! });
    // Holds whose time passed and that no seat points at any more are over.
    await tx.execute(
      sql`update holds h set status = 'expired', ended_at = ${ts(now)}
          where h.status = 'active' and h.expires_at <= ${ts(now)}
            and not exists (select 1 from event_seats es where es.hold_id = h.id)`,
    );
    return seats.length;
  });
  if (freed) holdExpiries.inc({}, freed);
  return freed;
}
