import 'server-only';
import { sql } from 'drizzle-orm';
import { rows, ts } from '@/db/sql';
import { AppError } from '@/lib/errors';
import { getSaleRules, placeHold, releaseHold } from '@/lib/inventory';
import { queueEmail } from '@/lib/notifications/deliver-outbox';
import { log } from '@/lib/observability/log';
import { chooseSeats, type FreeSeat } from './choose-seats';
import type { WaitlistDeps } from './deps';
import { offerEmail } from './offer-email';

/** At most this many free seats and waiting entries are looked at per event and run (the next run goes on). */
const MAX_FREE_SEATS = 5_000;
const MAX_ENTRIES = 500;

type EventRow = { name: string; timezone: string; currency: string; waitlist_offer_minutes: number };
type EntryRow = {
  id: string;
  user_id: string;
  email: string;
  price_tier_id: string | null;
  party_size: number;
  max_price_minor: number;
  wheelchair_seats: number;
};
type SeatRow = {
  id: number | string;
  section_id: string;
  section_label: string;
  row_label: string;
  seat_label: string;
  row_index: number;
  seat_index: number;
  wheelchair: boolean;
  price_tier_id: string;
  price_minor: number;
};

/**
 * Offers the event's free seats to its waitlist, in order of joining: each waiting entry that the free seats fit
 * (chooseSeats: together where possible, within price, wheelchair spaces where asked) gets them held in its name for
 * the event's offer window, through the inventory's own placeHold, and an email; entries the seats do not fit keep
 * their place. Safe to run anywhere at any time, also twice at once: PostgreSQL holds a seat for one hold only
 * (hold_seats), and an entry becomes `offered` by a conditional update, so a hold made for an entry that was
 * meanwhile offered elsewhere or left is released again. Returns how many offers it made.
 */
export async function offerFreedSeats(deps: WaitlistDeps, eventId: string): Promise<number> {
  const now = deps.now();
  const [event] = await rows<EventRow>(
    deps.db,
    sql`select name, timezone, currency, waitlist_offer_minutes from events
        where id = ${eventId} and status = 'published' and on_sale_at <= ${ts(now)} and starts_at > ${ts(now)}`,
  );
  if (!event) return 0;
  const entries = await rows<EntryRow>(
    deps.db,
    sql`select w.id, w.user_id, u.email, w.price_tier_id, w.party_size, w.max_price_minor, w.wheelchair_seats
        from waitlist_entries w join users u on u.id = w.user_id
        where w.event_id = ${eventId} and w.status = 'waiting' order by w.seq limit ${MAX_ENTRIES}`,
  );
  if (!entries.length) return 0;
  const seatRows = await rows<SeatRow>(
    deps.db,
    sql`select es.id, es.section_id, es.section_label, es.row_label, es.seat_label, es.row_index, es.seat_index,
               es.wheelchair, es.price_tier_id, pt.price_minor
        from event_seats es join price_tiers pt on pt.id = es.price_tier_id
        where es.event_id = ${eventId} and (es.status = 'available' or (es.status = 'held' and es.held_until <= ${ts(now)}))
        order by es.idx limit ${MAX_FREE_SEATS}`,
  );
  if (!seatRows.length) return 0;
  const byId = new Map(seatRows.map((s) => [Number(s.id), s]));
  let pool: FreeSeat[] = seatRows.map((s) => ({
    id: Number(s.id),
    sectionId: s.section_id,
    rowIndex: s.row_index,
    seatIndex: s.seat_index,
    wheelchair: s.wheelchair,
    priceTierId: s.price_tier_id,
    priceMinor: Number(s.price_minor),
  }));
  const drop = (ids: number[]) => {
    const gone = new Set(ids);
    pool = pool.filter((s) => !gone.has(s.id));
  };
  // The offer is a hold like any other, only as long as the organizer's offer window.
  const rules = { ...(await getSaleRules(deps.db, eventId)), holdMinutes: event.waitlist_offer_minutes };

  let offered = 0;
  for (const entry of entries) {
    if (!pool.length) break;
    const needs = {
      partySize: entry.party_size,
      maxPriceMinor: entry.max_price_minor,
      wheelchairSeats: entry.wheelchair_seats,
      priceTierId: entry.price_tier_id,
    };
    // A second try when some chosen seats were taken since they were read (by a buyer, or another run).
    for (let attempt = 0; attempt < 2; attempt++) {
      const seatIds = chooseSeats(pool, needs);
      if (!seatIds) break;
      let hold;
      try {
        hold = await placeHold(deps, { eventId, userId: entry.user_id, seatIds }, { rules });
      } catch (error) {
        if (error instanceof AppError && error.code === 'SEATS_UNAVAILABLE') {
          drop((error.extras.unavailableSeatIds as number[] | undefined) ?? seatIds);
          continue;
        }
        if (error instanceof AppError && error.code === 'EVENT_NOT_ON_SALE') return offered;
        // The account's limits or abandoned-holds budget refuse it: the entry keeps its place for later.
        log().info({ err: error, entryId: entry.id, eventId }, 'waitlist offer skipped');
        break;
      }
      drop(seatIds);
      const seats = seatIds.map((id) => byId.get(id)!);
      const recorded = await deps.db.transaction(async (tx) => {
        const [row] = await rows<{ id: string }>(
          tx,
          sql`update waitlist_entries set status = 'offered', hold_id = ${hold.id}, offered_at = ${ts(now)},
                offer_expires_at = ${hold.expiresAt}::timestamptz
              where id = ${entry.id} and status = 'waiting' returning id`,
        );
        if (!row) return false;
        await queueEmail(
          tx,
          offerEmail({
            email: entry.email,
            eventId,
            eventName: event.name,
            timezone: event.timezone,
            currency: event.currency,
            expiresAt: new Date(hold.expiresAt),
            totalMinor: seats.reduce((n, s) => n + Number(s.price_minor), 0),
            seats: seats.map((s) => ({
              sectionLabel: s.section_label,
              rowLabel: s.row_label,
              seatLabel: s.seat_label,
            })),
          }),
        );
        return true;
      });
      // The entry was offered by another run, or left, meanwhile: these seats go back.
      if (!recorded) await releaseHold(deps, hold.id, entry.user_id);
      else offered++;
      break;
    }
  }
  return offered;
}
