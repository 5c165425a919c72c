import 'server-only';
import { LRUCache } from 'lru-cache';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { events } from '@/db/schema';
import { rows } from '@/db/sql';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/contracts/uuid';
import { processSingleton } from '@/lib/process-singletons';

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
};

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

function startLoad(db: Database, eventId: string, entry: Entry): Promise<SaleRules> {
  const loading = loadRules(db, eventId, entry.rules?.positions);
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

async function loadRules(db: Database, eventId: string, known?: Map<number, number>): Promise<SaleRules> {
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
  let positions = known;
  if (!positions || positions.size === 0) {
    const seats = await rows<{ id: number | string; idx: number }>(
      db,
      sql`select id, idx from event_seats where event_id = ${eventId}`,
    );
    positions = new Map(seats.map((s) => [Number(s.id), s.idx]));
  }
  return { eventId, ...event, positions };
}

export function forgetSaleRules(eventId?: string): void {
  if (eventId) cache.delete(eventId);
  else cache.clear();
}

/** Refuses events that are not selling at `now`: drafts are not found, the rest say why. */
export function assertOnSale(rules: SaleRules, now: Date): void {
  if (rules.status === 'cancelled') throw new AppError('EVENT_NOT_ON_SALE', 'This event was cancelled.');
  if (now < rules.onSaleAt)
    throw new AppError('EVENT_NOT_ON_SALE', `Sales open at ${rules.onSaleAt.toISOString()}.`, {
      onSaleAt: rules.onSaleAt.toISOString(),
    });
  if (now >= rules.startsAt) throw new AppError('EVENT_NOT_ON_SALE', 'This event has started; sales are closed.');
}
