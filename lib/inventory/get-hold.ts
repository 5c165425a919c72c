import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows } from '@/db/sql';
import type { HoldResponse } from '@/lib/contracts/inventory';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/contracts/uuid';

export type HoldSeat = {
  id: number;
  sectionLabel: string;
  rowLabel: string;
  seatLabel: string;
  tierName: string;
  priceMinor: number;
};
export type HoldDetails = HoldResponse & {
  userId: string;
  eventName: string;
  currency: string;
  feePerTicketMinor: number;
  seats: HoldSeat[];
};

type HoldRow = {
  id: string;
  event_id: string;
  user_id: string;
  status: HoldResponse['status'];
  expires_at: Date | string;
  extended_at: Date | string | null;
  event_name: string;
  currency: string;
  fee: number;
};

/**
 * A hold with its seats, for its owner (or an admin). Anyone else gets NOT_FOUND: holds are never shown to other
 * accounts, not even whether they exist. An active hold past its time reads as expired.
 * The seats are those the hold was placed on, whether or not it still has them (a converted hold's seats are sold).
 */
export async function getHoldForViewer(
  db: Database,
  holdId: string,
  viewer: { id: string; role: string },
  now = new Date(),
): Promise<HoldDetails> {
  if (!isUuid(holdId)) throw new AppError('NOT_FOUND', 'No such hold.');
  const [hold] = await rows<HoldRow>(
    db,
    sql`select h.id, h.event_id, h.user_id, h.status, h.expires_at, h.extended_at, e.name as event_name, e.currency, e.fee_per_ticket_minor as fee
        from holds h join events e on e.id = h.event_id where h.id = ${holdId}`,
  );
  if (!hold || (hold.user_id !== viewer.id && viewer.role !== 'admin'))
    throw new AppError('NOT_FOUND', 'No such hold.');
  const seats = await holdSeats(db, holdId);
  const expiresAt = new Date(hold.expires_at);
  const status = hold.status === 'active' && expiresAt <= now ? 'expired' : hold.status;
  return {
    id: hold.id,
    eventId: hold.event_id,
    userId: hold.user_id,
    seatIds: seats.map((s) => s.id),
    expiresAt: expiresAt.toISOString(),
    serverTime: now.toISOString(),
    status,
    extended: hold.extended_at !== null,
    eventName: hold.event_name,
    currency: hold.currency,
    feePerTicketMinor: Number(hold.fee),
    seats,
  };
}

/** The seats the hold was placed on (whether or not it still has them: a converted hold's seats are sold). */
async function holdSeats(db: Database, holdId: string): Promise<HoldSeat[]> {
  const result = await rows<{
    id: number | string;
    section_label: string;
    row_label: string;
    seat_label: string;
    tier_name: string;
    price_minor: number;
  }>(
    db,
    sql`select es.id, es.section_label, es.row_label, es.seat_label, t.name as tier_name, t.price_minor
        from holds h join event_seats es on es.id = any(h.seat_ids) join price_tiers t on t.id = es.price_tier_id
        where h.id = ${holdId}
        order by es.idx`,
  );
  return result.map((r) => ({
    id: Number(r.id),
    sectionLabel: r.section_label,
    rowLabel: r.row_label,
    seatLabel: r.seat_label,
    tierName: r.tier_name,
    priceMinor: Number(r.price_minor),
  }));
}

/**
 * The buyer's latest hold on an event that is still running, if any: wherever the buyer opens the seat page (another
 * tab, another browser), it resumes that hold instead of leaving the seats stuck until they expire.
 */
export async function activeHoldOf(
  db: Database,
  eventId: string,
  userId: string,
  now = new Date(),
): Promise<HoldResponse | null> {
  if (!isUuid(eventId)) return null;
  const [hold] = await rows<{
    id: string;
    seat_ids: (number | string)[];
    expires_at: Date | string;
    extended_at: Date | string | null;
  }>(
    db,
    sql`select id, seat_ids, expires_at, extended_at from holds
        where event_id = ${eventId} and user_id = ${userId} and status = 'active' and expires_at > ${now.toISOString()}::timestamptz
        order by created_at desc limit 1`,
  );
  if (!hold) return null;
  return {
    id: hold.id,
    eventId,
    seatIds: hold.seat_ids.map(Number),
    expiresAt: new Date(hold.expires_at).toISOString(),
    serverTime: now.toISOString(),
    status: 'active',
    extended: hold.extended_at !== null,
  };
}
