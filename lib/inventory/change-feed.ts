import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { SEAT_STATUS_CODE, type SeatStatus } from '@/db/schema';
import { rows, ts } from '@/db/sql';

/**
 * Appends one change to the event's feed and bumps its availability version, in the caller's transaction.
 * Call it last, just before commit: the version row is the one lock every change of the event shares.
 */
export async function recordChange(
  tx: Database,
  change: { eventId: string; status: SeatStatus; positions: number[]; heldBy?: string; heldUntil?: Date },
): Promise<number> {
  if (change.positions.length === 0) return -1;
  const [row] = await rows<{ version: number }>(
    tx,
    sql`with bumped as (
          update event_availability set version = version + 1 where event_id = ${change.eventId} returning version
        )
        insert into availability_changes (event_id, version, status, seat_idx, held_by, held_until)
        select ${change.eventId}, bumped.version, ${SEAT_STATUS_CODE[change.status]}, ${`{${change.positions.join(',')}}`}::int[],
               ${change.heldBy ?? null}, ${change.heldUntil ? ts(change.heldUntil) : null}
        from bumped
        returning version::int as version`,
  );
  if (!row) throw new Error(`event ${change.eventId} has no availability row (was it published?)`);
  return row.version;
}
