import 'server-only';
import type { Database } from '@/db/client';
import { normalizeSearch, type EventDetails, type SearchQuery, type SearchResult } from '@/lib/contracts/catalog';
import { getEventDetails } from './get-event-details';
import { searchEvents, type FacetCounts } from './search-events';
import { ttlCache, type TtlCache } from './ttl-cache';

/** Catalog reads may be this stale; seat holds and checkout always read the database. */
export const CATALOG_TTL_MS = 5_000;
/** Facet counts (and the result total) of a broad search cost a scan of every match; they may lag a little more. */
export const FACET_TTL_MS = 30_000;

type Caches = { search: TtlCache<SearchResult>; details: TtlCache<EventDetails>; facets: TtlCache<FacetCounts> };
// On globalThis so every route bundle of the server process shares one cache.
const caches = ((globalThis as { __admitoneCatalog?: Caches }).__admitoneCatalog ??= {
  search: ttlCache<SearchResult>({ ttlMs: CATALOG_TTL_MS, max: 500 }),
  details: ttlCache<EventDetails>({ ttlMs: CATALOG_TTL_MS, max: 500 }),
  facets: ttlCache<FacetCounts>({ ttlMs: FACET_TTL_MS, max: 1000 }),
});

/** Search and browse for people (pages, GET /api/events): `searchEvents`, cached for a few seconds per search. */
export async function searchCatalog(db: Database, query: SearchQuery): Promise<SearchResult> {
  const search = normalizeSearch(query);
  const key = JSON.stringify([search.q.toLowerCase(), search.city?.toLowerCase(), search.category, search.from, search.to, search.minPrice, search.maxPrice, search.sort, search.cursor, search.limit]);
  const result = await caches.search.get(key, () => searchEvents(db, search, { facetCache: caches.facets }));
  return { ...result, serverTime: new Date().toISOString() };
}

/**
 * Event details for people, cached for a few seconds. `serverTime` is always fresh, so the on-sale countdown stays
 * right even when the rest is a few seconds old.
 */
export async function readEventDetails(db: Database, id: string, options: { includeDrafts?: boolean } = {}): Promise<EventDetails> {
  const details = await caches.details.get(`${id}:${options.includeDrafts ? 'all' : 'public'}`, () => getEventDetails(db, id, options));
  return { ...details, serverTime: new Date().toISOString() };
}

/** Tests and admin writes that must show at once. */
export function clearCatalogCache(): void {
  caches.search.clear();
  caches.details.clear();
  caches.facets.clear();
}
