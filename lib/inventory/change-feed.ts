import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { SEAT_STATUS_CODE, type SeatStatus } from '@/db/schema';
import { ts } from '@/db/sql';

/** A seat as a change leaves it: its layout position and its rev after the change (UPDATE ... RETURNING idx, rev). */
export type ChangedSeat = { idx: number; rev: number };

/**
 * Appends one change to the event's feed, in the caller's transaction, after the seats were updated. The row carries
 * the transaction's id, so readers take it once every transaction below it has ended (lib/inventory/availability.ts);
 * nothing here is shared with other writers of the event, so holds and sales of one event do not queue behind each
 * other (docs/decisions/019-change-feed-watermark.md).
 */
export async function recordChange(
  tx: Database,
  change: { eventId: string; status: SeatStatus; seats: ChangedSeat[]; heldBy?: string; heldUntil?: Date },
): Promise<void> {
  if (change.seats.length === 0) return;
  await tx.execute(
    sql`insert into availability_changes (event_id, status, seat_idx, seat_rev, held_by, held_until)
        values (${change.eventId}, ${SEAT_STATUS_CODE[change.status]}, ${`{${change.seats.map((s) => s.idx).join(',')}}`}::int[],
                ${`{${change.seats.map((s) => s.rev).join(',')}}`}::int[], ${change.heldBy ?? null}, ${change.heldUntil ? ts(change.heldUntil) : null})`,
  );
}
