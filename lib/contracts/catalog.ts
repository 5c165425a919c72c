import { z } from 'zod';
import { EVENT_CATEGORIES, type EventCategory } from './categories';

/**
 * Search and browse (GET /api/events, the /events page, the home page) and event details (GET /api/events/{id}).
 * Shared by the server, the browser and the tests. No server imports.
 */

export const SEARCH_SORTS = ['relevance', 'date'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

const SEARCH_PAGE_SIZE = 12;
const SEARCH_MAX_PAGE_SIZE = 50;
const SEARCH_MAX_QUERY_LENGTH = 100;

/** The parameters the API accepts; anything else is refused so that a misspelt filter is not silently ignored. */
const SEARCH_PARAMS = [
  'q',
  'city',
  'category',
  'from',
  'to',
  'minPrice',
  'maxPrice',
  'sort',
  'cursor',
  'limit',
] as const;

/** Control characters (U+0000-U+001F, U+007F) read as spaces in free text: pasted tabs and line breaks, or a NUL that PostgreSQL cannot store. */
const CONTROL = /[\u0000-\u001f\u007f]/g;
const freeText = (max: number, message: string) =>
  z
    .string()
    .transform((value) => value.replace(CONTROL, ' '))
    .pipe(z.string().trim().max(max, message));

/** A query-string value: given at most once; blank means absent. */
const param = <S extends z.ZodType>(name: string, schema: S) =>
  z.preprocess((value, ctx) => {
    if (Array.isArray(value)) {
      if (value.length !== 1) {
        ctx.addIssue({ code: 'custom', message: `${name} may be given once` });
        return z.NEVER;
      }
      value = value[0];
    }
    return typeof value === 'string' && value.trim() === '' ? undefined : value;
  }, schema.optional());

/**
 * Days searched are within these bounds: a valid date far outside them (0001-01-01, 9999-12-31) once reached the
 * search's time-zone arithmetic and PostgreSQL as a year it cannot represent (a 500), and no event is there anyway.
 */
const SEARCH_FIRST_DAY = '1900-01-01';
const SEARCH_LAST_DAY = '2999-12-31';

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'use a date like 2026-12-31')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
  }, 'is not a calendar date')
  .refine(
    (value) => value >= SEARCH_FIRST_DAY && value <= SEARCH_LAST_DAY,
    `use a date between ${SEARCH_FIRST_DAY} and ${SEARCH_LAST_DAY}`,
  );

/** Whole or decimal amounts in the event's own currency (major units, e.g. 80 or 79.50). */
const price = z.coerce
  .number({ error: 'use an amount such as 80 or 79.50' })
  .finite('use an amount such as 80 or 79.50')
  .min(0, 'must not be negative')
  .max(1_000_000, 'must be at most 1,000,000');

export const searchQuerySchema = z
  .strictObject(
    {
      /** Free text over name, performer, venue, city and category; typos are tolerated. */
      q: param('q', freeText(SEARCH_MAX_QUERY_LENGTH, `q may be at most ${SEARCH_MAX_QUERY_LENGTH} characters`)),
      city: param('city', freeText(80, 'city may be at most 80 characters').pipe(z.string().min(1))),
      category: param(
        'category',
        z.enum(EVENT_CATEGORIES, { error: `category must be one of ${EVENT_CATEGORIES.join(', ')}` }),
      ),
      /** First and last day, inclusive, in each event's own time zone. */
      from: param('from', isoDay),
      to: param('to', isoDay),
      minPrice: param('minPrice', price),
      maxPrice: param('maxPrice', price),
      /** Relevance needs a query; without one, results are always by date. */
      sort: param('sort', z.enum(SEARCH_SORTS, { error: `sort must be ${SEARCH_SORTS.join(' or ')}` })),
      /** Opaque: the `nextCursor` of the previous page of the same search. */
      cursor: param('cursor', z.string().max(500, 'cursor is not valid')),
      limit: param(
        'limit',
        z.coerce
          .number({ error: 'limit must be a number' })
          .int('limit must be a whole number')
          .min(1, 'limit must be at least 1')
          .max(SEARCH_MAX_PAGE_SIZE, `limit may be at most ${SEARCH_MAX_PAGE_SIZE}`),
      ),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown parameter ${issue.keys.join(', ')}; use ${SEARCH_PARAMS.join(', ')}`
          : undefined,
    },
  )
  .superRefine((query, ctx) => {
    if (query.from && query.to && query.to < query.from)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be on or after from' });
    if (query.minPrice !== undefined && query.maxPrice !== undefined && query.maxPrice < query.minPrice) {
      ctx.addIssue({ code: 'custom', path: ['maxPrice'], message: 'maxPrice must be at least minPrice' });
    }
  });
export type SearchQuery = z.infer<typeof searchQuerySchema>;

/** The query with every value normalised, as the search runs it. */
export type NormalizedSearch = {
  q: string;
  city?: string;
  category?: EventCategory;
  from?: string;
  to?: string;
  minPrice?: number;
  maxPrice?: number;
  sort: SearchSort;
  cursor?: string;
  limit: number;
};

export function normalizeSearch(query: SearchQuery): NormalizedSearch {
  const q = (query.q ?? '').replace(/\s+/g, ' ').trim();
  return {
    q,
    ...(query.city ? { city: query.city.replace(/\s+/g, ' ') } : {}),
    ...(query.category ? { category: query.category } : {}),
    ...(query.from ? { from: query.from } : {}),
    ...(query.to ? { to: query.to } : {}),
    ...(query.minPrice !== undefined ? { minPrice: query.minPrice } : {}),
    ...(query.maxPrice !== undefined ? { maxPrice: query.maxPrice } : {}),
    sort: q && query.sort !== 'date' ? 'relevance' : 'date',
    ...(query.cursor ? { cursor: query.cursor } : {}),
    limit: query.limit ?? SEARCH_PAGE_SIZE,
  };
}

/**
 * For pages: keeps every valid parameter and drops the rest (a shared link with one bad value still shows
 * results). Returns the names of the dropped parameters so the page can say so.
 */
export function parseSearchParamsLeniently(input: Record<string, string | string[] | undefined>): {
  query: SearchQuery;
  ignored: string[];
} {
  const known: Record<string, unknown> = {};
  for (const name of SEARCH_PARAMS) if (input[name] !== undefined) known[name] = input[name];
  const ignored: string[] = [];
  for (let attempt = 0; attempt < SEARCH_PARAMS.length; attempt++) {
    const result = searchQuerySchema.safeParse(known);
    if (result.success) return { query: result.data, ignored };
    const bad = new Set(
      result.error.issues.map((issue) => String(issue.path[0] ?? '')).filter((name) => name in known),
    );
    if (bad.size === 0) break;
    for (const name of bad) {
      delete known[name];
      ignored.push(name);
    }
  }
  return { query: {}, ignored: Object.keys(known).concat(ignored) };
}

/** True when any filter besides the search words is set. */
export const hasFilters = (s: Pick<NormalizedSearch, 'city' | 'category' | 'from' | 'to' | 'minPrice' | 'maxPrice'>) =>
  [s.city, s.category, s.from, s.to, s.minPrice, s.maxPrice].some((v) => v !== undefined);

/** How many filters (and a non-default sort) are set, for the "Filters · N active" badge. */
export const activeFilterCount = (s: NormalizedSearch) =>
  [s.city, s.category, s.from, s.to, s.minPrice, s.maxPrice].filter((v) => v !== undefined).length +
  (s.q && s.sort === 'date' ? 1 : 0);

/** The query string of a search (only what differs from the defaults), for links that keep or change filters. */
export function searchHref(
  search: Partial<NormalizedSearch>,
  changes: Partial<Record<keyof NormalizedSearch, string | number | undefined>> = {},
  path = '/events',
): string {
  const merged: Record<string, string | number | undefined> = { ...search, ...changes };
  if ('cursor' in changes === false) delete merged.cursor;
  if (merged.limit === SEARCH_PAGE_SIZE) delete merged.limit;
  if (merged.sort === (merged.q ? 'relevance' : 'date')) delete merged.sort;
  const params = new URLSearchParams();
  for (const name of SEARCH_PARAMS) {
    const value = merged[name];
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export const eventSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  performer: z.string(),
  category: z.enum(EVENT_CATEGORIES),
  city: z.string(),
  venueName: z.string(),
  /** ISO 8601 instants; show them in `timezone`, the venue's. */
  startsAt: z.string(),
  onSaleAt: z.string(),
  timezone: z.string(),
  currency: z.string(),
  minPriceMinor: z.number().int().nullable(),
  maxPriceMinor: z.number().int().nullable(),
  highDemand: z.boolean(),
});
export type EventSummary = z.infer<typeof eventSummarySchema>;

const facetSchema = z.object({ value: z.string(), count: z.number().int() });
export type Facet = z.infer<typeof facetSchema>;

export const searchResultSchema = z.object({
  items: z.array(eventSummarySchema),
  /** Events matching the whole search (all pages). */
  total: z.number().int(),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
  sort: z.enum(SEARCH_SORTS),
  /**
   * Counts for the current search. Each facet ignores its own filter, so the other cities (or categories) stay
   * visible with the count they would give.
   */
  facets: z.object({
    cities: z.array(facetSchema),
    categories: z.array(facetSchema.extend({ value: z.enum(EVENT_CATEGORIES) })),
  }),
  /** A respelling of `q` that matches events, when `q` itself matched only loosely or not at all. */
  didYouMean: z.string().nullable(),
  /** When nothing matched: how many events the same words find without the filters (0 if none). */
  withoutFilters: z.number().int().nullable(),
  serverTime: z.string(),
});
export type SearchResult = z.infer<typeof searchResultSchema>;

export const SALE_STATES = ['scheduled', 'on_sale', 'sold_out', 'started', 'cancelled'] as const;
export type SaleState = (typeof SALE_STATES)[number];

const seatCounts = { seatsTotal: z.number().int(), seatsAvailable: z.number().int() };

export const eventDetailsSchema = eventSummarySchema.extend({
  slug: z.string(),
  description: z.string(),
  status: z.enum(['draft', 'published', 'cancelled']),
  perOrderLimit: z.number().int(),
  feePerTicketMinor: z.number().int(),
  venue: z.object({
    id: z.string(),
    name: z.string(),
    address: z.string(),
    city: z.string(),
    country: z.string(),
    timezone: z.string(),
  }),
  tiers: z.array(
    z.object({ id: z.string(), name: z.string(), priceMinor: z.number().int(), color: z.string(), ...seatCounts }),
  ),
  sections: z.array(
    z.object({
      label: z.string(),
      name: z.string(),
      minPriceMinor: z.number().int(),
      maxPriceMinor: z.number().int(),
      ...seatCounts,
    }),
  ),
  ...seatCounts,
  sale: z.object({
    state: z.enum(SALE_STATES),
    /** When sales open; the page counts down to it from `serverTime`, so a wrong client clock does not matter. */
    opensAt: z.string(),
    /** When the waiting room (the pre-queue, whose places are drawn at random at the on-sale) opens for joining. */
    waitingRoomOpensAt: z.string(),
  }),
  /** Where a buyer picks seats (the waiting room may come first for high-demand events). */
  seatsUrl: z.string(),
  serverTime: z.string(),
});
export type EventDetails = z.infer<typeof eventDetailsSchema>;
