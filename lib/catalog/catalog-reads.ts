import 'server-only';
import { getDb, readReplicaDb, type Database } from '@/db/client';
import {
  normalizeSearch,
  type EventDetails,
  type NormalizedSearch,
  type SearchQuery,
  type SearchResult,
} from '@/lib/contracts/catalog';
import { CatalogCache } from './catalog-cache';
import { CatalogVersion, bumpDatabaseVersion } from './catalog-version';
import { getEventDetails } from './get-event-details';
import { readWithFallback } from './read-db';
import { searchEventsUntil, type FacetCounts } from './search-events';
import { processSingleton } from '@/lib/process-singletons';

/**
 * Whole search results and facet counts live until the catalog changes (any instance's change shows within about a
 * second, see catalog-version.ts) or the earliest matching event starts; this only bounds how long a write path that
 * forgets `catalogChanged` can leave them wrong.
 */
const SEARCH_MAX_AGE_MS = 10 * 60_000;
/** Event details include seats left, which change with every sale and never bump the version: a few seconds. */
const DETAILS_TTL_MS = 5_000;

/**
 * Memory bounds, per database handle (the app has one). A result page is ~5-20 KB (items plus up to a few hundred
 * city facets); facet counts about the same; details of a large venue ~20 KB.
 */
const LIMITS = {
  search: { maxEntries: 2_000, maxBytes: 32 << 20 },
  facets: { maxEntries: 1_000, maxBytes: 16 << 20 },
  details: { maxEntries: 1_000, maxBytes: 16 << 20 },
};

type Cached<T> = { value: T; validUntil: number | null };
type Caches = {
  version: CatalogVersion;
  search: CatalogCache<Cached<SearchResult>>;
  facets: CatalogCache<FacetCounts>;
  details: CatalogCache<EventDetails>;
};

// One per process (lib/process-singletons.ts), shared by every route bundle. One set per database handle: the
// version is read from that database, and tests can run two "instances" against one database in one process.
const registry = processSingleton('catalogCaches', () => new Map<Database, Caches>());

function cachesFor(db: Database): Caches {
  let caches = registry.get(db);
  if (!caches) {
    caches = {
      version: new CatalogVersion(db),
      search: new CatalogCache<Cached<SearchResult>>({ ...LIMITS.search, validUntil: (c) => c.validUntil }),
      facets: new CatalogCache<FacetCounts>({ ...LIMITS.facets, validUntil: (f) => f.firstStartMs }),
      details: new CatalogCache<EventDetails>(LIMITS.details),
    };
    registry.set(db, caches);
  }
  return caches;
}

/** Everything that decides a result: the same normalized query from any buyer is one entry. */
const searchCacheKey = (s: NormalizedSearch) =>
  JSON.stringify([
    s.q.toLowerCase(),
    s.city?.toLowerCase(),
    s.category,
    s.from,
    s.to,
    s.minPrice,
    s.maxPrice,
    s.sort,
    s.cursor,
    s.limit,
  ]);

/**
 * Search and browse for people (pages, GET /api/events): `searchEvents` behind the catalog cache. A repeated search
 * is answered from memory until the catalog changes; a new one shares facet counts with searches that differ only
 * in city, category or page. Pages and routes pass `getReadDb()`: the read replica when one is in use.
 */
export async function searchCatalog(db: Database, query: SearchQuery): Promise<SearchResult> {
  const search = normalizeSearch(query);
  const caches = cachesFor(db);
  const version = await caches.version.current();
  const maxAge = SEARCH_MAX_AGE_MS;
  const facetCache = {
    get: (key: string, load: () => Promise<FacetCounts>) => caches.facets.get(key, version, maxAge, load),
  };
  const { value } = await caches.search.get(searchCacheKey(search), version, maxAge, () =>
    readWithFallback(db, (from) => searchEventsUntil(from, search, { facetCache })),
  );
  return { ...value, serverTime: new Date().toISOString() };
}

/**
 * Event details for people, cached for a few seconds (and dropped at once when the event changes). `serverTime` is
 * always fresh, so the on-sale countdown stays right even when the rest is a few seconds old. Pages and routes pass
 * `getReadDb()`; an event the replica does not have yet is looked for on the primary.
 */
export async function readEventDetails(
  db: Database,
  id: string,
  options: { includeDrafts?: boolean } = {},
): Promise<EventDetails> {
  // An admin may be looking at what they have just changed: that is read on the primary.
  if (options.includeDrafts && db === readReplicaDb()) db = await getDb();
  const caches = cachesFor(db);
  const version = await caches.version.current();
  const details = await caches.details.get(
    `${id}:${options.includeDrafts ? 'all' : 'public'}`,
    version,
    DETAILS_TTL_MS,
    () => readWithFallback(db, (from) => getEventDetails(from, id, options), { confirmMissing: true }),
  );
  return { ...details, serverTime: new Date().toISOString() };
}

/**
 * Announces a change that can change what search or an event page shows: an event created, edited, published or
 * cancelled, its price tiers, its venue's name or city. Call it with the database after the write commits, or with
 * the transaction as its last statement. This instance drops its cached results at once, every other instance
 * within about a second (they read the catalog version at most once a second).
 */
export async function catalogChanged(db: Database): Promise<void> {
  const own = registry.get(db);
  // A transaction is not a registered handle: then every cache of this process is stale.
  if (own) own.version.bump();
  else for (const caches of registry.values()) caches.version.bump();
  // The read replica's caches belong to this instance too (what it reloads may still be the old catalog until the
  // replica replays this change; the replica's own catalog version then moves, and the entry is dropped).
  const replica = readReplicaDb();
  if (own && replica && replica !== db) registry.get(replica)?.version.bump();
  await bumpDatabaseVersion(db);
}

/** Tests and benches that must start cold: empties the caches of one database handle, or all. */
export function clearCatalogCache(db?: Database): void {
  const all = db ? [registry.get(db)].filter((c) => c !== undefined) : [...registry.values()];
  for (const caches of all) {
    caches.search.clear();
    caches.facets.clear();
    caches.details.clear();
  }
}
