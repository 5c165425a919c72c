import 'server-only';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { events } from '@/db/schema';
import { rows } from '@/db/sql';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/contracts/uuid';

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
type Entry = { rules: SaleRules; fetchedAt: number };
const holder = globalThis as { __admitoneSaleRules?: Map<string, Entry> };
const cache = (holder.__admitoneSaleRules ??= new Map());

/**
 * The event's selling rules and its seat ids, cached for two seconds (the seat ids for as long as the entry lives:
 * a published layout never changes). PostgreSQL re-checks what matters in the hold statement itself.
 */
export async function getSaleRules(db: Database, eventId: string): Promise<SaleRules> {
  if (!isUuid(eventId)) throw new AppError('NOT_FOUND', 'No such event.');
  const hit = cache.get(eventId);
  const now = Date.now();
  if (hit && now - hit.fetchedAt < RULES_TTL_MS) return hit.rules;
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
  let positions = hit?.rules.positions;
  if (!positions || positions.size === 0) {
    const seats = await rows<{ id: number | string; idx: number }>(db, sql`select id, idx from event_seats where event_id = ${eventId}`);
    positions = new Map(seats.map((s) => [Number(s.id), s.idx]));
  }
  const rules: SaleRules = { eventId, ...event, positions };
  cache.delete(eventId);
  cache.set(eventId, { rules, fetchedAt: now });
  if (cache.size > MAX_EVENTS) cache.delete(cache.keys().next().value!);
  return rules;
}

export function forgetSaleRules(eventId?: string): void {
  if (eventId) cache.delete(eventId);
  else cache.clear();
}

/** Refuses events that are not selling at `now`: drafts are not found, the rest say why. */
export function assertOnSale(rules: SaleRules, now: Date): void {
  if (rules.status === 'cancelled') throw new AppError('EVENT_NOT_ON_SALE', 'This event was cancelled.');
  if (now < rules.onSaleAt) throw new AppError('EVENT_NOT_ON_SALE', `Sales open at ${rules.onSaleAt.toISOString()}.`, { onSaleAt: rules.onSaleAt.toISOString() });
  if (now >= rules.startsAt) throw new AppError('EVENT_NOT_ON_SALE', 'This event has started; sales are closed.');
}
