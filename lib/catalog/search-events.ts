import 'server-only';
import { and, desc, eq, gt, sql, type SQL } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { events, venues } from '@/db/schema';
import { rows, ts } from '@/db/sql';
import { EVENT_CATEGORIES, type EventCategory } from '@/lib/contracts/categories';
import { CURRENCY_CODES, minorDigits } from '@/lib/contracts/currency';
import {
  hasFilters,
  type EventSummary,
  type Facet,
  type NormalizedSearch,
  type SearchResult,
} from '@/lib/contracts/catalog';
import { decodeCursor, encodeCursor } from './search-cursor';
import { correctTypos, MIN_FUZZY_LENGTH, oneTypoTsQuery, prefixTsQuery, respell, searchTerms } from './search-terms';

/**
 * How close a misspelt word must be to a word of an event (pg_trgm word_similarity, 0..1). 0.5 lets one wrong
 * letter through in words of five or more letters ("hamlit", "auroa", "seatle") without matching unrelated words.
 */
const FUZZY_THRESHOLD = 0.5;
/** Looser, only to find a "did you mean" when nothing matched. */
const SUGGEST_THRESHOLD = 0.25;

const HOUR = 3_600_000;

/**
 * A price in the query is major units of each event's own currency (no exchange rates): "up to 50" is $50 at a US
 * event and ¥50 at a Tokyo one. So the bound in minor units depends on the row's currency: ×100 for most, ×1 for
 * the zero-decimal ones (decision 045). events_upcoming_idx and events_facets_idx include the currency (migration
 * 0020), so the filter still reads index tuples only.
 */
const ZERO_DECIMAL = sql.raw(
  CURRENCY_CODES.filter((c) => minorDigits(c) === 0)
    .map((c) => `'${c}'`)
    .join(', '),
);
const priceBound = (amount: number): SQL =>
  sql`(case when ${events.currency} in (${ZERO_DECIMAL}) then ${Math.round(amount)}::int else ${Math.round(amount * 100)}::int end)`;

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

/**
 * Upcoming published events. 'published' is a literal, not a parameter: the partial index events_upcoming_idx
 * (migration 0007) only serves a statement whose predicate implies its own, also as a cached generic plan.
 */
const upcoming = (now: Date): SQL[] => [sql`${events.status} = 'published'`, gt(events.startsAt, now)];

/** Everything but the city and category filters, which the facets count separately. */
function sharedConditions(search: NormalizedSearch, terms: string[], fuzzy: boolean, now: Date): SQL[] {
  const out: SQL[] = [...upcoming(now), ...textConditions(terms, fuzzy)];
  // Days are the event's local days, and zones run from UTC-12 to UTC+14. The instant range (from 14 hours before
  // the first day in UTC to 12 hours after the last) lets the index narrow the rows; inside 12 hours after the
  // first day's start and 10 hours before the end of the last, every zone agrees, so only the edges pay for the
  // local-date test (a time zone conversion per row).
  if (search.from) {
    const day = Date.parse(`${search.from}T00:00:00Z`);
    out.push(sql`${events.startsAt} >= ${ts(new Date(day - 14 * HOUR))}`);
    out.push(
      sql`(${events.startsAt} >= ${ts(new Date(day + 12 * HOUR))} or (${events.startsAt} at time zone ${events.timezone})::date >= ${search.from}::date)`,
    );
  }
  if (search.to) {
    const day = Date.parse(`${search.to}T00:00:00Z`);
    out.push(sql`${events.startsAt} < ${ts(new Date(day + 36 * HOUR))}`);
    out.push(
      sql`(${events.startsAt} < ${ts(new Date(day + 10 * HOUR))} or (${events.startsAt} at time zone ${events.timezone})::date <= ${search.to}::date)`,
    );
  }
  // An event fits a budget when some of its tickets do: its price range overlaps the asked range.
  if (search.minPrice !== undefined) out.push(sql`${events.maxPriceMinor} >= ${priceBound(search.minPrice)}`);
  if (search.maxPrice !== undefined) out.push(sql`${events.minPriceMinor} <= ${priceBound(search.maxPrice)}`);
  return out;
}

/**
 * Relevance, cheap enough to compute for thousands of matches (plain string tests; ts_rank doubled the cost): the
 * name or performer starting with the query, then containing it, then containing more of its words. With a
 * misspelt word, closeness to the name and performer counts too. Numeric, rounded to 4 decimals (the cursor holds
 * its text), so sorting and the cursor test compare it without casting each row.
 */
function rankExpression(q: string, terms: string[], fuzzy: boolean, name: SQL, performer: SQL): SQL {
  const lq = q.toLowerCase();
  const title = sql`lower(${name} || ' ' || ${performer})`;
  const words = sql.join(
    terms.map((t) => sql`(strpos(${title}, ${t}) > 0)::int`),
    sql` + `,
  );
  return sql`round((case when strpos(lower(${name}), ${lq}) = 1 or strpos(lower(${performer}), ${lq}) = 1 then 2 else 0 end
      + (strpos(${title}, ${lq}) > 0)::int
      + (${words})::numeric / ${terms.length}
      ${fuzzy ? sql`+ word_similarity(${q}, ${name} || ' ' || ${performer})` : sql``})::numeric, 4)`;
}

type Cursor = ReturnType<typeof decodeCursor>;
const afterKey = (source: string, cursor: Cursor) =>
  sql`(${sql.raw(`${source}.starts_at`)}, ${sql.raw(`${source}.id`)}) > (${ts(new Date(cursor.startsAt))}, ${cursor.id}::uuid)`;

type FacetRow = { city: string; category: EventCategory; n: number };
/**
 * Facet counts of one set of shared conditions, whether misspellings had to be allowed to match anything, and when
 * the earliest matching event starts (then it drops out of the results: a cached result is wrong from that instant).
 */
export type FacetCounts = { fuzzy: boolean; rows: FacetRow[]; firstStartMs: number | null };
/** Where facet counts may be shared between searches that differ only in city, category or page. */
export type FacetCache = { get(key: string, load: () => Promise<FacetCounts>): Promise<FacetCounts> };

type Item = Omit<EventSummary, 'startsAt' | 'onSaleAt'> & { startsAt: string; onSaleAt: string; rank: string };
type Statement = { facets: FacetRow[]; firstStartMs: number | null; items: Item[] };

/**
 * One statement for a page of results and, with `withFacets`, the facet counts: the matching events are read once.
 *
 * - With words, the events matching the words, dates and prices are read once through the full-text (or trigram)
 *   index into `m`; the counts group `m`, the page ranks or sorts the part of `m` in the asked city and category.
 *   Only the page's own rows are joined to their venue.
 * - Without words (browsing), the counts and the page each read an index of migration 0007: the counts
 *   events_facets_idx in (city, category) order (an index-only scan into a group aggregate, no hashing), the page
 *   events_upcoming_idx (or events_facets_idx for a city) in start order, testing the filters on index tuples.
 *
 * With the counts in the same statement, the city is matched in any case; with counts from the cache, the city is
 * their stored spelling (`storedCity`), so the city index can serve it.
 */
function searchStatement(
  search: NormalizedSearch,
  terms: string[],
  now: Date,
  cursor: Cursor | undefined,
  relevance: boolean,
  { fuzzy, withFacets, storedCity }: { fuzzy: boolean; withFacets: boolean; storedCity?: string },
): SQL {
  const shared = and(...sharedConditions(search, terms, fuzzy, now));
  // The city as typed, in any case: the materialized matches are filtered in memory; the events table through the
  // spelling the facet counts found (an equality the index serves), or the one the cached counts name.
  const cityCategory = (source: 'm' | 'events'): SQL[] => {
    const column = (name: string) => sql.raw(`${source}.${name}`);
    const out: SQL[] = [];
    if (search.city !== undefined) {
      if (!withFacets) out.push(sql`${column('city')} = ${storedCity}`);
      else if (source === 'm') out.push(sql`lower(${column('city')}) = lower(${search.city}::text)`);
      else
        out.push(
          sql`${column('city')} = (select min(f.city) from f where lower(f.city) = lower(${search.city}::text))`,
        );
    }
    if (search.category) out.push(sql`${column('category')} = ${search.category}`);
    return out;
  };
  const limit = search.limit + 1;
  const firstStart = sql`(extract(epoch from min(starts_at)) * 1000)::float8`;

  let ctes: SQL;
  if (terms.length > 0) {
    // Only the columns the counts, the filters and the rank read: the fewer, the cheaper `m` is to keep.
    const matches = sql`select ${events.id} as id, ${events.city} as city, ${events.category} as category, ${events.startsAt} as starts_at
                               ${relevance ? sql`, ${events.name} as name, ${events.performer} as performer` : sql``}
                        from ${events} where ${shared}`;
    const facets = withFacets
      ? sql`, f as (select city, category, count(*)::int as n, ${firstStart} as first from m group by 1, 2)`
      : sql``;
    const filters = cityCategory('m');
    const byDateWhere = and(...filters, ...(cursor ? [afterKey('m', cursor)] : []));
    // The rank is computed once per match in a subquery (OFFSET 0 keeps the planner from folding it into the
    // outer query, which would compute it again for the cursor test and the sort).
    const page = relevance
      ? sql`select id, starts_at, rank from (
              select m.id, m.starts_at, ${rankExpression(search.q, terms, fuzzy, sql.raw('m.name'), sql.raw('m.performer'))} as rank
              from m ${filters.length ? sql`where ${and(...filters)}` : sql``} offset 0) r
            ${cursor ? sql`where (r.rank < ${cursor.rank}::numeric or (r.rank = ${cursor.rank}::numeric and ${afterKey('r', cursor)}))` : sql``}
            order by r.rank desc, r.starts_at, r.id limit ${limit}`
      : sql`select id, starts_at, 0::numeric as rank from m ${byDateWhere ? sql`where ${byDateWhere}` : sql``} order by starts_at, id limit ${limit}`;
    // Materialized only when the counts read it too; otherwise the planner may push the filters into the scan.
    ctes = sql`with m as ${withFacets ? sql`materialized` : sql`not materialized`} (${matches})${facets}, p as (${page})`;
  } else {
    const facets = withFacets
      ? sql`f as (select ${events.city} as city, ${events.category} as category, count(*)::int as n, ${firstStart} as first from ${events} where ${shared} group by 1, 2), `
      : sql``;
    const where = and(shared, ...cityCategory('events'), ...(cursor ? [afterKey('events', cursor)] : []));
    ctes = sql`with ${facets}p as (select ${events.id} as id, ${events.startsAt} as starts_at, 0::numeric as rank from ${events} where ${where} order by ${events.startsAt}, ${events.id} limit ${limit})`;
  }
  const order = relevance ? sql`p.rank desc, p.starts_at, p.id` : sql`p.starts_at, p.id`;
  const item = sql`json_build_object('id', e.id, 'name', e.name, 'performer', e.performer, 'category', e.category, 'city', e.city,
    'venueName', v.name, 'startsAt', e.starts_at, 'onSaleAt', e.on_sale_at, 'timezone', e.timezone, 'currency', e.currency,
    'minPriceMinor', e.min_price_minor, 'maxPriceMinor', e.max_price_minor, 'highDemand', e.high_demand, 'rank', p.rank::text)`;
  return sql`${ctes}
    select ${withFacets ? sql`(select coalesce(json_agg(json_build_array(city, category, n, first)), '[]'::json) from f)` : sql`null::json`} as facets,
           (select coalesce(json_agg(${item} order by ${order}), '[]'::json)
            from p join ${events} e on e.id = p.id join ${venues} v on v.id = e.venue_id) as items`;
}

const parseJson = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

async function runStatement(tx: Database, statement: SQL): Promise<Statement> {
  const [row] = await rows<{ facets: unknown; items: unknown }>(tx, statement);
  const facetRows = parseJson<[string, EventCategory, number, number][] | null>(row?.facets) ?? [];
  const firstStarts = facetRows.map((r) => r[3]).filter((ms) => Number.isFinite(ms));
  return {
    facets: facetRows.map(([city, category, n]) => ({ city, category, n })),
    firstStartMs: firstStarts.length ? Math.min(...firstStarts) : null,
    items: parseJson<Item[]>(row?.items) ?? [],
  };
}

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
  if (search.city && ![...cities.keys()].some((c) => c.toLowerCase() === search.city!.toLowerCase()))
    cities.set(search.city, 0);
  if (search.category && !categories.has(search.category)) categories.set(search.category, 0);
  const cityFacets: Facet[] = [...cities]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  const categoryFacets = EVENT_CATEGORIES.filter((c) => categories.has(c)).map((value) => ({
    value,
    count: categories.get(value)!,
  }));
  return { total, facets: { cities: cityFacets, categories: categoryFacets } };
}

/**
 * Runs `fn` in a transaction where pg_trgm's `<%` lets a word through at `threshold`. set_config(..., true) scopes
 * the setting to the transaction, so pooled connections keep their defaults.
 */
function allowingTypos<T>(db: Database, fn: (tx: Database) => Promise<T>, threshold = FUZZY_THRESHOLD): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('pg_trgm.word_similarity_threshold', ${String(threshold)}, true)`);
    return fn(tx);
  });
}

/**
 * Published events that have not started, matching free text (full-text prefix match, or trigram similarity for
 * typos), city, category, local date range and price range; sorted by relevance or date, one keyset page at a
 * time, with facet counts. Uncached: callers that serve people go through `searchCatalog`.
 */
export async function searchEvents(
  db: Database,
  search: NormalizedSearch,
  options: { now?: Date; facetCache?: FacetCache } = {},
): Promise<SearchResult> {
  return (await searchEventsUntil(db, search, options)).value;
}

/**
 * `searchEvents`, and until when its result stays right without a change to the catalog: the start of the earliest
 * matching event (null when nothing matched).
 */
export async function searchEventsUntil(
  db: Database,
  search: NormalizedSearch,
  { now = new Date(), facetCache, typed }: { now?: Date; facetCache?: FacetCache; typed?: NormalizedSearch } = {},
): Promise<{ value: SearchResult; validUntil: number | null }> {
  const terms = searchTerms(search.q);
  // A corrected search pages with cursors of the search as typed: the links of the page carry the typed words.
  const cursorSearch = typed ?? search;
  const cursor = search.cursor ? decodeCursor(cursorSearch, search.cursor) : undefined;
  const relevance = search.sort === 'relevance' && terms.length > 0;
  const sort = relevance ? 'relevance' : 'date';
  const statement = (tx: Database, fuzzy: boolean, withFacets: boolean, storedCity?: string) =>
    runStatement(tx, searchStatement(search, terms, now, cursor, relevance, { fuzzy, withFacets, storedCity }));
  const countWords = async (tx: Database, fuzzy: boolean) =>
    (
      await rows<{ n: number }>(
        tx,
        sql`select count(*)::int as n from ${events} where ${and(...upcoming(now), ...textConditions(terms, fuzzy))}`,
      )
    )[0]?.n ?? 0;

  // Exact words first (cheap: the full-text index). Only when they match nothing at all, misspellings are allowed;
  // common words like "tour" then never pay for trigram matching. The counts and the page come from one statement;
  // the counts are shared (when a cache is given) with searches that differ only in city, category or page.
  let items: Item[] | undefined;
  let wordsAlone: number | undefined;
  const loadCounts = async (): Promise<FacetCounts> => {
    const exact = await statement(db, false, true);
    items = exact.items;
    if (exact.facets.length > 0 || !terms.some((t) => t.length >= MIN_FUZZY_LENGTH))
      return { fuzzy: false, rows: exact.facets, firstStartMs: exact.firstStartMs };
    // Nothing matched: either the dates or prices leave out every event with these words, or a word is misspelt.
    const narrowed = search.from || search.to || search.minPrice !== undefined || search.maxPrice !== undefined;
    if (narrowed) {
      wordsAlone = await countWords(db, false);
      if (wordsAlone > 0) return { fuzzy: false, rows: [], firstStartMs: null };
    }
    const loose = await allowingTypos(db, (tx) => statement(tx, true, true));
    items = loose.items;
    return { fuzzy: true, rows: loose.facets, firstStartMs: loose.firstStartMs };
  };
  const facetKey = JSON.stringify([terms, search.from, search.to, search.minPrice, search.maxPrice]);
  const counts = facetCache ? await facetCache.get(facetKey, loadCounts) : await loadCounts();
  const { fuzzy, rows: facetRows } = counts;

  if (items === undefined) {
    // The counts came from the cache: read the page alone. The facet rows name every city with a match, so a city
    // typed in any case becomes the stored spelling; a city without matches needs no query.
    const storedCity =
      search.city === undefined
        ? undefined
        : facetRows.find((r) => r.city.toLowerCase() === search.city!.toLowerCase())?.city;
    if (search.city !== undefined && storedCity === undefined) items = [];
    else
      items = fuzzy
        ? (await allowingTypos(db, (tx) => statement(tx, true, false, storedCity))).items
        : (await statement(db, false, false, storedCity)).items;
  }
  const { total, facets } = facetsFrom(facetRows, search);

  const more = items.length > search.limit;
  const shown = items.slice(0, search.limit);
  const last = shown.at(-1);
  const nextCursor =
    more && last
      ? encodeCursor(
          { ...cursorSearch, sort },
          { ...(relevance ? { rank: last.rank } : {}), startsAt: new Date(last.startsAt).toISOString(), id: last.id },
        )
      : null;

  let didYouMean: string | null = null;
  let withoutFilters: number | null = null;
  if (terms.length > 0 && !cursor) {
    const exact = shown.some((item) =>
      terms.every((t) =>
        searchTerms(`${item.name} ${item.performer} ${item.venueName} ${item.city} ${item.category}`).some((w) =>
          w.startsWith(t),
        ),
      ),
    );
    if (shown.length > 0 && !exact)
      didYouMean = respell(
        search.q,
        shown.flatMap((i) => [i.name, i.performer, i.venueName, i.city]),
      );
  }
  // Even misspellings matched nothing anywhere: look for looser lookalikes. When every unknown word is one typo
  // (a wrong, missing, extra or swapped letter) from exactly one word of them, that is the only likely meaning:
  // search for it and show its events, with the correction offered as "did you mean". Otherwise only suggest it.
  // Only searches that found nothing pay for this.
  // First the words one edit away, looked up as exact words in the full-text index (a few hundred lexemes: a few
  // milliseconds); then looser lookalikes by trigrams, which also catch accents ("miserables").
  if (terms.length > 0 && !typed && shown.length === 0 && fuzzy && facetRows.length === 0) {
    const correctWith = async (texts: string[]) => {
      const corrected = correctTypos(search.q, texts);
      if (!corrected) return null;
      const again = await searchEventsUntil(db, { ...search, q: corrected }, { now, facetCache, typed: search });
      return again.value.total > 0 ? { ...again, value: { ...again.value, didYouMean: corrected } } : null;
    };
    const found = (await correctWith(await oneTypoAway(db, terms, now))) ?? null;
    if (found) return found;
    const near = await lookalikes(db, search.q, terms, now);
    const loose = await correctWith(near);
    if (loose) return loose;
    if (!cursor) didYouMean = respell(search.q, near);
  }
  if (total === 0 && hasFilters(search)) {
    withoutFilters =
      !fuzzy && wordsAlone !== undefined
        ? wordsAlone
        : fuzzy
          ? await allowingTypos(db, (tx) => countWords(tx, true))
          : await countWords(db, false);
  }

  return {
    value: {
      items: shown.map(({ rank: _rank, ...item }) => ({
        ...item,
        startsAt: new Date(item.startsAt).toISOString(),
        onSaleAt: new Date(item.onSaleAt).toISOString(),
      })),
      total,
      nextCursor,
      sort,
      facets,
      didYouMean,
      withoutFilters,
      serverTime: now.toISOString(),
    },
    validUntil: counts.firstStartMs,
  };
}

/** The names, performers, venues and cities of events whose words are each the typed word or one edit from it. */
async function oneTypoAway(db: Database, terms: string[], now: Date): Promise<string[]> {
  // A tsquery of hundreds of alternatives looks unselective to the planner, which then tests it on every upcoming
  // event (2.7 s on 100,000 events) instead of looking its words up in the GIN index (20 ms). The materialized CTE
  // leaves the index as the only way in, and sequential scans are off for this transaction alone.
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('enable_seqscan', 'off', true)`);
    const near = await rows<{ name: string; performer: string; venue_name: string; city: string }>(
      tx,
      sql`with m as materialized (
            select ${events.name} as name, ${events.performer} as performer, ${events.city} as city, ${events.venueId} as venue_id,
                   ${events.status} as status, ${events.startsAt} as starts_at
            from ${events} where ${events.searchVector} @@ to_tsquery('simple', ${oneTypoTsQuery(terms)}))
          select m.name, m.performer, m.city, v.name as venue_name from m join ${venues} v on v.id = m.venue_id
          where m.status = 'published' and m.starts_at > ${ts(now)} limit 20`,
    );
    return near.flatMap((n) => [n.name, n.performer, n.venue_name, n.city]);
  });
}

/**
 * Nothing matched, not even with misspellings: the names, performers, venues and cities of the events whose words
 * are loosely like every word of the query.
 */
async function lookalikes(db: Database, q: string, terms: string[], now: Date): Promise<string[]> {
  if (!terms.some((t) => t.length >= MIN_FUZZY_LENGTH)) return [];
  const near = await allowingTypos(
    db,
    (tx) =>
      tx
        .select({ name: events.name, performer: events.performer, venueName: venues.name, city: events.city })
        .from(events)
        .innerJoin(venues, eq(venues.id, events.venueId))
        .where(and(...upcoming(now), ...textConditions(terms, true)))
        .orderBy(desc(sql`word_similarity(${q}, ${events.searchDocument})`))
        .limit(10),
    SUGGEST_THRESHOLD,
  );
  return near.flatMap((n) => [n.name, n.performer, n.venueName, n.city]);
}
