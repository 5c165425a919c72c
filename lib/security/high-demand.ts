import 'server-only';
import { LRUCache } from 'lru-cache';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows, ts } from '@/db/sql';
import { isUuid } from '@/lib/contracts/uuid';

/**
 * Whether proofs of work are asked for, from the events' `high_demand` flag: read once per 30 seconds per process, so
 * the waiting room's join pays a map lookup, not a query (an organizer's change shows within half a minute).
 */
const TTL_MS = 30_000;
type Cached = { value: boolean; until: number };
type Cache = { events: LRUCache<string, Cached>; season?: Cached };
/** Plain module state: each copy reads the flag again within TTL_MS, as every instance of the app does. */
const cache: Cache = { events: new LRUCache<string, Cached>({ max: 10_000 }) };

/** The event is marked high demand (an unknown id is not). */
export async function isHighDemandEvent(db: Database, eventId: string, now = Date.now()): Promise<boolean> {
  const hit = cache.events.get(eventId);
  if (hit && hit.until > now) return hit.value;
  if (!isUuid(eventId)) return false;
  const [row] = await rows<{ high_demand: boolean }>(db, sql`select high_demand from events where id = ${eventId}`);
  const value = row?.high_demand === true;
  if (row) cache.events.set(eventId, { value, until: now + TTL_MS });
  return value;
}

/**
 * A high-demand event is published and has not started: the time scripts make accounts for. Sign-ups then need a
 * proof of work (or fall under a smaller per-address budget, lib/auth/auth-limits.ts).
 */
export async function isHighDemandSeason(db: Database, now = Date.now()): Promise<boolean> {
  if (cache.season && cache.season.until > now) return cache.season.value;
  const [row] = await rows<{ found: boolean }>(
    db,
    sql`select exists(select 1 from events where high_demand and status = 'published' and starts_at > ${ts(new Date(now))}) as found`,
  );
  cache.season = { value: row?.found === true, until: now + TTL_MS };
  return cache.season.value;
}

/** Tests that change the flag call this so the next check reads it again. */
export function forgetHighDemandForTests(): void {
  cache.events.clear();
  cache.season = undefined;
}
