import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows, ts } from '@/db/sql';
import type { WaitlistStatus } from '@/lib/contracts/waitlist';
import { isUuid } from '@/lib/contracts/uuid';
import { AppError } from '@/lib/errors';

type EntryRow = {
  id: string;
  status: NonNullable<WaitlistStatus['entry']>['status'];
  price_tier_id: string | null;
  party_size: number;
  max_price_minor: number;
  wheelchair_seats: number;
  created_at: Date | string;
  hold_id: string | null;
  offer_expires_at: Date | string | null;
  ahead: number | string;
};

/**
 * The account's place on the event's waitlist: its latest entry (a live one, or how the last one ended), how many
 * live entries joined before it, and the offer it holds. NOT_FOUND for an event that does not exist.
 */
export async function getWaitlistStatus(
  db: Database,
  input: { eventId: string; userId: string; now: Date },
): Promise<WaitlistStatus> {
  const { eventId, userId, now } = input;
  if (!isUuid(eventId)) throw new AppError('NOT_FOUND', 'No such event.');
  const [event] = await rows<{ id: string }>(
    db,
    sql`select id from events where id = ${eventId} and status <> 'draft'`,
  );
  if (!event) throw new AppError('NOT_FOUND', 'No such event.');
  const [entry] = await rows<EntryRow>(
    db,
    sql`select w.id, w.status, w.price_tier_id, w.party_size, w.max_price_minor, w.wheelchair_seats, w.created_at,
               w.hold_id, w.offer_expires_at,
               (select count(*) from waitlist_entries o
                 where o.event_id = w.event_id and o.status = 'waiting' and o.seq < w.seq and w.status = 'waiting') as ahead
        from waitlist_entries w
        where w.event_id = ${eventId} and w.user_id = ${userId}
        order by w.seq desc limit 1`,
  );
  const serverTime = now.toISOString();
  if (!entry) return { eventId, entry: null, serverTime };
  let offer: NonNullable<WaitlistStatus['entry']>['offer'] = null;
  if (entry.status === 'offered' && entry.hold_id) {
    const seats = await rows<{ section_label: string; row_label: string; seat_label: string; price_minor: number }>(
      db,
      sql`select es.section_label, es.row_label, es.seat_label, pt.price_minor
          from holds h join event_seats es on es.id = any(h.seat_ids) and es.hold_id = h.id
          join price_tiers pt on pt.id = es.price_tier_id
          where h.id = ${entry.hold_id} and h.status = 'active' and h.expires_at > ${ts(now)}
          order by es.idx`,
    );
    if (seats.length)
      offer = {
        holdId: entry.hold_id,
        expiresAt: new Date(entry.offer_expires_at!).toISOString(),
        seats: seats.map((s) => ({ sectionLabel: s.section_label, rowLabel: s.row_label, seatLabel: s.seat_label })),
        totalMinor: seats.reduce((n, s) => n + Number(s.price_minor), 0),
      };
  }
  return {
    eventId,
    entry: {
      id: entry.id,
      status: entry.status,
      priceTierId: entry.price_tier_id,
      partySize: entry.party_size,
      maxPriceMinor: entry.max_price_minor,
      wheelchairSeats: entry.wheelchair_seats,
      joinedAt: new Date(entry.created_at).toISOString(),
      ahead: Number(entry.ahead),
      offer,
    },
    serverTime,
  };
}
