import { eq } from 'drizzle-orm';
import { NextRequest } from 'next/server';
import { beforeEach, describe, expect, it } from 'vitest';
import { GET as eventDetails } from '@/app/api/events/[id]/route';
import { GET as searchEvents } from '@/app/api/events/route';
import { events } from '@/db/schema';
import { clearCatalogCache } from '@/lib/catalog/catalog-reads';
import { eventDetailsSchema, searchResultSchema } from '@/lib/contracts/catalog';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent } from '../support/fixtures';

const search = (query: string) =>
  searchEvents(new NextRequest(`http://localhost/api/events${query}`), { params: Promise.resolve({}) });
const details = (id: string) =>
  eventDetails(new NextRequest(`http://localhost/api/events/${encodeURIComponent(id)}`), {
    params: Promise.resolve({ id }),
  });

describe('GET /api/events and /api/events/{id}', () => {
  const { handle } = useTestDatabase();
  const db = () => handle().db;
  beforeEach(() => clearCatalogCache());

  it('answers a search with the shared result schema', async () => {
    const { event } = await createOnSaleEvent(db(), {
      event: { name: 'Nocturne for Strings', performer: 'Lumen Quartet', category: 'concert' },
    });
    const response = await search('?q=nocturn&category=concert&sort=relevance&limit=5');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = searchResultSchema.parse(await response.json());
    expect(body.items.map((i) => i.id)).toEqual([event.id]);
    expect(body.facets.categories).toEqual([{ value: 'concert', count: 1 }]);
  });

  it('refuses unknown parameters and bad values with problem+json, never a 500', async () => {
    const cases: [string, string][] = [
      ['?catgory=concert', 'unknown parameter catgory'],
      ['?category=opera', 'category must be one of'],
      ['?from=2026-02-30', 'from: is not a calendar date'],
      ['?from=2026-12-10&to=2026-12-01', 'to must be on or after from'],
      ['?minPrice=abc', 'minPrice: use an amount'],
      ['?minPrice=-1', 'minPrice: must not be negative'],
      ['?minPrice=90&maxPrice=10', 'maxPrice must be at least minPrice'],
      ['?sort=price', 'sort must be relevance or date'],
      ['?limit=500', 'limit may be at most 50'],
      ['?limit=1.5', 'limit must be a whole number'],
      ['?city=a&city=b', 'city may be given once'],
      [`?q=${'x'.repeat(101)}`, 'q may be at most 100'],
      ['?cursor=%00%ff', 'cursor'],
      ['?cursor=eyJ2IjoxfQ', 'cursor: is not valid'],
    ];
    for (const [query, detail] of cases) {
      const response = await search(query);
      expect(response.status, query).toBe(422);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      const problem = await response.json();
      expect(problem.code, query).toBe('VALIDATION_FAILED');
      expect(problem.detail, query).toContain(detail);
    }
  });

  it('accepts blank parameters as absent, as an empty form submits them', async () => {
    const response = await search('?q=&city=&category=&from=&to=&minPrice=&maxPrice=&sort=relevance');
    expect(response.status).toBe(200);
    expect(searchResultSchema.parse(await response.json()).sort).toBe('date');
  });

  it('serves event details, and 404 for unknown, malformed and draft events', async () => {
    const { event } = await createOnSaleEvent(db(), { rows: 2, seatsPerRow: 3 });
    const response = await details(event.id);
    expect(response.status).toBe(200);
    const body = eventDetailsSchema.parse(await response.json());
    expect(body).toMatchObject({
      id: event.id,
      seatsTotal: 6,
      seatsAvailable: 6,
      sale: { state: 'on_sale' },
      seatsUrl: `/events/${event.id}/seats`,
    });
    for (const id of [crypto.randomUUID(), 'nope', "1' or '1'='1"]) {
      const missing = await details(id);
      expect(missing.status, id).toBe(404);
      expect(missing.headers.get('content-type')).toBe('application/problem+json');
    }
    clearCatalogCache();
    await db().update(events).set({ status: 'draft' }).where(eq(events.id, event.id));
    expect((await details(event.id)).status).toBe(404);
  });
});
