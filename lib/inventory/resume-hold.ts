import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows } from '@/db/sql';
import { AppError } from '@/lib/errors';
import { getOwnedHold } from './release-hold';

export type ResumableHold = { id: string; eventId: string; expiresAt: Date; checkoutUrl: string };

/**
 * The buyer's own hold, still running and not being paid for elsewhere, to go on with in this browser. Anyone else
 * gets NOT_FOUND (not even whether it exists); an ended hold is HOLD_NOT_ACTIVE. The caller then admits this
 * browser session to the hold's event until the hold ends (docs/decisions/026-resume-a-hold.md): the account went
 * through the waiting room to make the hold, so its owner needs no second turn to pay for it.
 */
export async function resumableHold(db: Database, holdId: string, userId: string, now: Date): Promise<ResumableHold> {
  const hold = await getOwnedHold(db, holdId, userId);
  const expiresAt = new Date(hold.expires_at);
  if (hold.status !== 'active' || expiresAt <= now)
    throw new AppError(
      'HOLD_NOT_ACTIVE',
      'These seats are no longer held: the hold was paid for, released or ran out.',
    );
  return { id: hold.id, eventId: hold.event_id, expiresAt, checkoutUrl: `/checkout/${hold.id}` };
}

export type HeldSeatsSummary = {
  id: string;
  eventId: string;
  eventName: string;
  seatCount: number;
  expiresAt: string;
  serverTime: string;
};

/** Every hold of the account that is still running, newest first: what "My tickets" offers to resume or release. */
export async function listActiveHolds(db: Database, userId: string, now: Date): Promise<HeldSeatsSummary[]> {
  const found = await rows<{
    id: string;
    event_id: string;
    event_name: string;
    seat_count: number;
    expires_at: Date | string;
  }>(
    db,
    sql`select h.id, h.event_id, e.name as event_name, cardinality(h.seat_ids) as seat_count, h.expires_at
        from holds h join events e on e.id = h.event_id
        where h.user_id = ${userId} and h.status = 'active' and h.expires_at > ${now.toISOString()}::timestamptz
        order by h.created_at desc limit 20`,
  );
  return found.map((h) => ({
    id: h.id,
    eventId: h.event_id,
    eventName: h.event_name,
    seatCount: Number(h.seat_count),
    expiresAt: new Date(h.expires_at).toISOString(),
    serverTime: now.toISOString(),
  }));
}
