import 'server-only';
import { LRUCache } from 'lru-cache';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { events } from '@/db/schema';
import { rows } from '@/db/sql';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/contracts/uuid';
import { processSingleton } from '@/lib/process-singletons';
import { pgArray } from '@/lib/presale/account-access';

export type SaleRules = {
  eventId: string;
  status: string;
  onSaleAt: Date;
  startsAt: Date;
  perOrderLimit: number;
  perAccountLimit: number;
  holdMinutes: number;
  /** Seat id -> layout position. */
  positions: Map<number, number>;
  /** Presale windows (lib/presale): before onSaleAt, only buyers admitted through an open one may hold. */
  presales: { id: string; startsAt: Date; endsAt: Date }[];
  /** Seats of hidden price tiers -> their tier: held only by buyers whose code unlocks that tier. */
  hiddenSeats: Map<number, string>;
  /** The hidden price tiers, sorted: left out of the public layout (lib/inventory/layout.ts). */
  hiddenTiers: string[];
};

/** What the buyer's admission token says their presale codes unlocked (AdmissionClaims['ul']). */
export type SaleAccess = { presaleId?: string; tierIds?: readonly string[]; perAccountLimit?: number };

const RULES_TTL_MS = 2_000;
const MAX_EVENTS = 64;
type Entry = { rules?: SaleRules; fetchedAt: number; loading?: Promise<SaleRules> };
const cache = processSingleton('saleRules', () => new LRUCache<string, Entry>({ max: MAX_EVENTS }));

/**
 * The event's selling rules and its seat ids. One load per event at a time (an on-sale's first second brings many
 * requests for the same event at once, and the seat ids of a stadium are 50,800 rows); after that the rules are
 * read again in the background every two seconds while requests go on with the ones they have (the seat ids for as
 * long as the entry lives: a published layout never changes). PostgreSQL re-checks what matters in the hold
 * statement itself.
 */
export async function getSaleRules(db: Database, eventId: string): Promise<SaleRules> {
  if (!isUuid(eventId)) throw new AppError('NOT_FOUND', 'No such event.');
  const now = Date.now();
  let entry = cache.get(eventId);
  if (entry?.rules) {
    if (now - entry.fetchedAt >= RULES_TTL_MS && !entry.loading) startLoad(db, eventId, entry);
    return entry.rules;
  }
  if (!entry) {
    entry = { fetchedAt: 0 };
    cache.set(eventId, entry);
  }
  return entry.loading ?? startLoad(db, eventId, entry);
}

/** The event's rules if this process has them, without waiting (a request's early refusal; getSaleRules loads them). */
export function cachedSaleRules(eventId: string): SaleRules | undefined {
  return cache.get(eventId)?.rules;
}

function startLoad(db: Database, eventId: string, entry: Entry): Promise<SaleRules> {
  const loading = loadRules(db, eventId, entry.rules);
  entry.loading = loading;
  loading.then(
    (rules) => {
      entry.rules = rules;
      entry.fetchedAt = Date.now();
      entry.loading = undefined;
    },
    () => {
      entry.loading = undefined;
      // A first load that failed (an unknown event, a draft) leaves nothing behind; a refresh keeps the old rules.
      if (!entry.rules && cache.get(eventId) === entry) cache.delete(eventId);
    },
  );
  return loading;
}

async function loadRules(db: Database, eventId: string, known?: SaleRules): Promise<SaleRules> {
  const [event] = await db
    .select({
      status: events.status,
      onSaleAt: events.onSaleAt,
      startsAt: events.startsAt,
      perOrderLimit: events.perOrderLimit,
      perAccountLimit: events.perAccountLimit,
      holdMinutes: events.holdMinutes,
    })
    .from(events)
    .where(eq(events.id, eventId));
  if (!event || event.status === 'draft') throw new AppError('NOT_FOUND', 'No such event.');
  let positions = known?.positions;
  if (!positions || positions.size === 0) {
    const seats = await rows<{ id: number | string; idx: number }>(
      db,
      sql`select id, idx from event_seats where event_id = ${eventId}`,
    );
    positions = new Map(seats.map((s) => [Number(s.id), s.idx]));
  }
  const [access] = await rows<{
    presales: { id: string; startsAt: string; endsAt: string }[];
    hidden: string[] | string;
  }>(
    db,
    sql`select (select coalesce(json_agg(json_build_object('id', id, 'startsAt', starts_at, 'endsAt', ends_at)), '[]'::json)
                  from presales where event_id = ${eventId}) as presales,
               (select coalesce(array_agg(id::text order by id), '{}') from price_tiers where event_id = ${eventId} and hidden) as hidden`,
  );
  const presales = (access?.presales ?? []).map((p) => ({
    id: p.id,
    startsAt: new Date(p.startsAt),
    endsAt: new Date(p.endsAt),
  }));
  const hiddenTiers = pgArray(access?.hidden ?? []);
  let hiddenSeats = known?.hiddenSeats ?? new Map<number, string>();
  // The seats of hidden tiers are read again only when the set of hidden tiers changed (a published layout's seats
  // keep their tiers).
  if (hiddenTiers.join(',') !== [...new Set(hiddenSeats.values())].sort().join(',') || !known) {
    const seats = hiddenTiers.length
      ? await rows<{ id: number | string; tier: string }>(
          db,
          sql`select id, price_tier_id::text as tier from event_seats
               where event_id = ${eventId} and price_tier_id = any(${`{${hiddenTiers.join(',')}}`}::uuid[])`,
        )
      : [];
    hiddenSeats = new Map(seats.map((s) => [Number(s.id), s.tier]));
  }
  return { eventId, ...event, positions, presales, hiddenSeats, hiddenTiers };
}

export function forgetSaleRules(eventId?: string): void {
  if (eventId) cache.delete(eventId);
  else cache.clear();
}

/** The presale of `access` if its window is open at `now` (then the buyer may hold before the general on-sale). */
export function openPresale(rules: SaleRules, now: Date, access?: SaleAccess) {
  return access?.presaleId
    ? rules.presales.find((p) => p.id === access.presaleId && p.startsAt <= now && now < p.endsAt)
    : undefined;
}

/**
 * Refuses events that are not selling at `now` to this buyer: drafts are not found, the rest say why. Before the
 * general on-sale only a buyer admitted through a presale that is open now may hold.
 */
export function assertOnSale(rules: SaleRules, now: Date, access?: SaleAccess): void {
  if (rules.status === 'cancelled') throw new AppError('EVENT_NOT_ON_SALE', 'This event was cancelled.');
  if (now < rules.onSaleAt && !openPresale(rules, now, access))
    throw new AppError('EVENT_NOT_ON_SALE', `Sales open at ${rules.onSaleAt.toISOString()}.`, {
      onSaleAt: rules.onSaleAt.toISOString(),
    });
  if (now >= rules.startsAt) throw new AppError('EVENT_NOT_ON_SALE', 'This event has started; sales are closed.');
}

/**
 * Seats of hidden tiers the buyer's codes do not unlock: answered like seats that are not part of the event, so a
 * refusal does not reveal that a hidden tier exists.
 */
export function lockedSeats(rules: SaleRules, seatIds: readonly number[], access?: SaleAccess): number[] {
  if (rules.hiddenSeats.size === 0) return [];
  return seatIds.filter((id) => {
    const tier = rules.hiddenSeats.get(id);
    return tier !== undefined && !access?.tierIds?.includes(tier);
  });
}
