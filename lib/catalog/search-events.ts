import 'server-only';
import { and, asc, desc, eq, gt, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { events, venues } from '@/db/schema';
import { rows, ts } from '@/db/sql';
import { EVENT_CATEGORIES, type EventCategory } from '@/lib/contracts/categories';
import { hasFilters, type EventSummary, type Facet, type NormalizedSearch, type SearchResult } from '@/lib/contracts/catalog';
import { decodeCursor, encodeCursor } from './search-cursor';
import { MIN_FUZZY_LENGTH, prefixTsQuery, respell, searchTerms } from './search-terms';
import type { TtlCache } from './ttl-cache';

/**
 * How close a misspelt word must be to a word of an event (pg_trgm word_similarity, 0..1). 0.5 lets one wrong
 * letter through in words of five or more letters ("hamlit", "auroa", "seatle") without matching unrelated words.
 */
const FUZZY_THRESHOLD = 0.5;
/** Looser, only to find a "did you mean" when nothing matched. */
const SUGGEST_THRESHOLD = 0.25;

const HOUR = 3_600_000;

export const eventSummaryColumns = {
  id: events.id,
  name: events.name,
  performer: events.performer,
  category: events.category,
  city: events.city,
  venueName: venues.name,
  startsAt: events.startsAt,
  onSaleAt: events.onSaleAt,
  timezone: events.timezone,
  currency: events.currency,
  minPriceMinor: events.minPriceMinor,
  maxPriceMinor: events.maxPriceMinor,
  highDemand: events.highDemand,
};

type SummaryRow = Omit<EventSummary, 'startsAt' | 'onSaleAt'> & { startsAt: Date; onSaleAt: Date };
export const toEventSummary = (row: SummaryRow): EventSummary => ({ ...row, startsAt: row.startsAt.toISOString(), onSaleAt: row.onSaleAt.toISOString() });

/** Prices in the query are major units; the catalogue's currencies (USD, EUR, GBP) all have two decimals. */
const toMinor = (amount: number) => Math.round(amount * 100);

/**
 * Words of the query: each must match some word of an event by prefix. When `fuzzy`, a word of three letters or
 * more may instead match by trigram similarity, which finds misspelt words.
 */
function textConditions(terms: string[], fuzzy: boolean): SQL[] {
  return terms.map((term) => {
    const prefix = sql`${events.searchVector} @@ to_tsquery('simple', ${prefixTsQuery([term])})`;
    return fuzzy && term.length >= MIN_FUZZY_LENGTH ? sql`(${prefix} or ${term} <% ${events.searchDocument})` : prefix;
  });
}

/** Everything but the city and category filters, which the facets count separately. */
function sharedConditions(search: NormalizedSearch, terms: string[], fuzzy: boolean, now: Date): SQL[] {
  const out: SQL[] = [eq(events.status, 'published'), gt(events.startsAt, now), ...textConditions(terms, fuzzy)];
  // Days are the event's local days. The instant range first (any zone is within UTC-12..UTC+14) lets the
  // starts_at index narrow the rows; the exact local-date test then decides.
  if (search.from) {
    out.push(sql`${events.startsAt} >= ${ts(new Date(Date.parse(`${search.from}T00:00:00Z`) - 14 * HOUR))}`);
    out.push(sql`(${events.startsAt} at time zone ${events.timezone})::date >= ${search.from}::date`);
  }
  if (search.to) {
    out.push(sql`${events.startsAt} < ${ts(new Date(Date.parse(`${search.to}T00:00:00Z`) + 36 * HOUR))}`);
    out.push(sql`(${events.startsAt} at time zone ${events.timezone})::date <= ${search.to}::date`);
  }
  // An event fits a budget when some of its tickets do: its price range overlaps the asked range.
  if (search.minPrice !== undefined) out.push(sql`${events.maxPriceMinor} >= ${toMinor(search.minPrice)}`);
  if (search.maxPrice !== undefined) out.push(sql`${events.minPriceMinor} <= ${toMinor(search.maxPrice)}`);
  return out;
}

/**
 * Relevance, cheap enough to compute for thousands of matches (plain string tests; ts_rank doubled the cost): the
 * name or performer starting with the query, then containing it, then containing more of its words. With a
 * misspelt word, closeness to the name and performer counts too.
 */
function rankExpression(q: string, terms: string[], fuzzy: boolean): SQL<string> {
  const lq = q.toLowerCase();
  const title = sql`lower(${events.name} || ' ' || ${events.performer})`;
  const words = sql.join(
    terms.map((t) => sql`(strpos(${title}, ${t}) > 0)::int`),
    sql` + `,
  );
  return sql<string>`round((case when strpos(lower(${events.name}), ${lq}) = 1 or strpos(lower(${events.performer}), ${lq}) = 1 then 2 else 0 end
      + (strpos(${title}, ${lq}) > 0)::int
      + (${words})::numeric / ${terms.length}
      ${fuzzy ? sql`+ word_similarity(${q}, ${events.name} || ' ' || ${events.performer})` : sql``})::numeric, 4)::text`;
}

type Cursor = ReturnType<typeof decodeCursor>;
const afterKey = (startsAt: SQLWrapper, id: SQLWrapper, cursor: Cursor) => sql`(${startsAt}, ${id}) > (${ts(new Date(cursor.startsAt))}, ${cursor.id}::uuid)`;

/** By date: the starts_at index gives the page without visiting every match. */
function datePage(tx: Database, filters: SQL[], cursor: Cursor | undefined, limit: number) {
  return tx
    .select({ ...eventSummaryColumns, rank: sql<string>`'0'` })
    .from(events)
    .innerJoin(venues, eq(venues.id, events.venueId))
    .where(and(...filters, ...(cursor ? [afterKey(events.startsAt, events.id, cursor)] : [])))
    .orderBy(asc(events.startsAt), asc(events.id))
    .limit(limit);
}

/**
 * By relevance: every match is ranked. The rank is computed once per match in a subquery (OFFSET 0 keeps the
 * planner from folding it into the outer query, which would compute it again for the cursor test).
 */
async function relevancePage(tx: Database, filters: SQL[], rank: SQL<string>, cursor: Cursor | undefined, limit: number) {
  const ranked = tx
    .select({
      ...eventSummaryColumns,
      venueName: sql<string>`${venues.name}`.as('venue_name'),
      rank: sql<string>`${rank}`.as('rank'),
    })
    .from(events)
    .innerJoin(venues, eq(venues.id, events.venueId))
    .where(and(...filters))
    .offset(0)
    .as('ranked');
  const rankValue = sql`${ranked.rank}::numeric`;
  return tx
    .select()
    .from(ranked)
    .where(cursor ? sql`(${rankValue} < ${cursor.rank}::numeric or (${rankValue} = ${cursor.rank}::numeric and ${afterKey(ranked.startsAt, ranked.id, cursor)}))` : undefined)
    .orderBy(desc(rankValue), asc(ranked.startsAt), asc(ranked.id))
    .limit(limit);
}

type FacetRow = { city: string; category: EventCategory; n: number };
/** Facet counts of one set of shared conditions, and whether misspellings had to be allowed to match anything. */
export type FacetCounts = { fuzzy: boolean; rows: FacetRow[] };

function facetsFrom(facetRows: FacetRow[], search: NormalizedSearch) {
  const cityMatches = (city: string) => !search.city || city.toLowerCase() === search.city.toLowerCase();
  const categoryMatches = (category: string) => !search.category || category === search.category;
  const cities = new Map<string, number>();
  const categories = new Map<EventCategory, number>();
  let total = 0;
  for (const row of facetRows) {
    if (categoryMatches(row.category)) cities.set(row.city, (cities.get(row.city) ?? 0) + row.n);
    if (cityMatches(row.city)) categories.set(row.category, (categories.get(row.category) ?? 0) + row.n);
    if (cityMatches(row.city) && categoryMatches(row.category)) total += row.n;
  }
  // A selected value stays listed (with 0) so the page can show it as selected and offer to remove it.
  if (search.city && ![...cities.keys()].some((c) => c.toLowerCase() === search.city!.toLowerCase())) cities.set(search.city, 0);
  if (search.category && !categories.has(search.category)) categories.set(search.category, 0);
  const cityFacets: Facet[] = [...cities].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  const categoryFacets = EVENT_CATEGORIES.filter((c) => categories.has(c)).map((value) => ({ value, count: categories.get(value)! }));
  return { total, facets: { cities: cityFacets, categories: categoryFacets } };
}

/**
 * Published events that have not started, matching free text (full-text prefix match, or trigram similarity for
 * typos), city, category, local date range and price range; sorted by relevance or date, one keyset page at a
 * time, with facet counts. Uncached: callers that serve people go through `searchCatalog`.
 */
export async function searchEvents(
  db: Database,
  search: NormalizedSearch,
  { now = new Date(), facetCache }: { now?: Date; facetCache?: TtlCache<FacetCounts> } = {},
): Promise<SearchResult> {
  const terms = searchTerms(search.q);
  const cursor = search.cursor ? decodeCursor(search, search.cursor) : undefined;
  const relevance = search.sort === 'relevance' && terms.length > 0;
  const sort = relevance ? 'relevance' : 'date';

  const run = async (tx: Database): Promise<SearchResult> => {
    // Exact words first (cheap: the full-text index). Only when they match nothing at all, misspellings are
    // allowed; common words like "tour" then never pay for trigram matching.
    const countFacets = (fuzzy: boolean) =>
      rows<FacetRow>(tx, sql`select ${events.city} as city, ${events.category} as category, count(*)::int as n from ${events} where ${and(...sharedConditions(search, terms, fuzzy, now))} group by 1, 2`);
    const countWords = async (fuzzy: boolean) =>
      (await rows<{ n: number }>(tx, sql`select count(*)::int as n from ${events} where ${and(eq(events.status, 'published'), gt(events.startsAt, now), ...textConditions(terms, fuzzy))}`))[0]?.n ?? 0;
    const loadCounts = async (): Promise<FacetCounts> => {
      const exact = await countFacets(false);
      if (exact.length > 0 || !terms.some((t) => t.length >= MIN_FUZZY_LENGTH)) return { fuzzy: false, rows: exact };
      // Nothing matched: either the dates or prices leave out every event with these words, or a word is misspelt.
      const narrowed = search.from || search.to || search.minPrice !== undefined || search.maxPrice !== undefined;
      if (narrowed && (await countWords(false)) > 0) return { fuzzy: false, rows: exact };
      return { fuzzy: true, rows: await countFacets(true) };
    };
    // Counting a broad search means visiting every matching event (all of them when browsing); the counts may be
    // a little stale, so callers serving people share them for a while. The page of results is always fresh.
    const facetKey = JSON.stringify([terms, search.from, search.to, search.minPrice, search.maxPrice]);
    const { fuzzy, rows: facetRows } = facetCache ? await facetCache.get(facetKey, loadCounts) : await loadCounts();
    const shared = sharedConditions(search, terms, fuzzy, now);
    // The facet rows name every city with a match, so a city typed in any case becomes the stored spelling, and the
    // city index can serve the filter. A city without matches needs no query.
    const city = search.city === undefined ? undefined : (facetRows.find((r) => r.city.toLowerCase() === search.city!.toLowerCase())?.city ?? null);
    const filters = [...shared, ...(city !== undefined ? [city === null ? sql`false` : eq(events.city, city)] : []), ...(search.category ? [eq(events.category, search.category)] : [])];
    const { total, facets } = facetsFrom(facetRows, search);

    const page = relevance ? await relevancePage(tx, filters, rankExpression(search.q, terms, fuzzy), cursor, search.limit + 1) : await datePage(tx, filters, cursor, search.limit + 1);
    const more = page.length > search.limit;
    const items = page.slice(0, search.limit);
    const last = items.at(-1);
    const nextCursor = more && last ? encodeCursor({ ...search, sort }, { ...(relevance ? { rank: last.rank } : {}), startsAt: last.startsAt.toISOString(), id: last.id }) : null;

    let didYouMean: string | null = null;
    let withoutFilters: number | null = null;
    if (terms.length > 0 && !cursor) {
      const exact = items.some((item) => terms.every((t) => searchTerms(`${item.name} ${item.performer} ${item.venueName} ${item.city} ${item.category}`).some((w) => w.startsWith(t))));
      if (items.length > 0 && !exact) didYouMean = respell(search.q, items.flatMap((i) => [i.name, i.performer, i.venueName, i.city]));
      // Only when even misspellings matched nothing anywhere: then look for looser lookalikes to suggest.
      if (items.length === 0 && fuzzy && facetRows.length === 0) didYouMean = await suggest(tx, search.q, terms, now);
    }
    if (total === 0 && hasFilters(search)) withoutFilters = await countWords(fuzzy);

    return {
      items: items.map(({ rank: _rank, ...item }) => toEventSummary(item)),
      total,
      nextCursor,
      sort,
      facets,
      didYouMean,
      withoutFilters,
      serverTime: now.toISOString(),
    };
  };

  if (terms.length === 0) return run(db);
  // The similarity threshold is a setting; set_config(..., true) scopes it to this transaction, so pooled
  // connections keep their defaults.
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('pg_trgm.word_similarity_threshold', ${String(FUZZY_THRESHOLD)}, true)`);
    return run(tx);
  });
}

/** Nothing matched, not even with misspellings: look for events whose words are loosely like every word of the query. */
async function suggest(tx: Database, q: string, terms: string[], now: Date): Promise<string | null> {
  if (!terms.some((t) => t.length >= MIN_FUZZY_LENGTH)) return null;
  await tx.execute(sql`select set_config('pg_trgm.word_similarity_threshold', ${String(SUGGEST_THRESHOLD)}, true)`);
  const near = await tx
    .select({ name: events.name, performer: events.performer, venueName: venues.name, city: events.city })
    .from(events)
    .innerJoin(venues, eq(venues.id, events.venueId))
    .where(and(eq(events.status, 'published'), gt(events.startsAt, now), ...textConditions(terms, true)))
    .orderBy(desc(sql`word_similarity(${q}, ${events.searchDocument})`))
    .limit(10);
  await tx.execute(sql`select set_config('pg_trgm.word_similarity_threshold', ${String(FUZZY_THRESHOLD)}, true)`);
  return respell(q, near.flatMap((n) => [n.name, n.performer, n.venueName, n.city]));
}
