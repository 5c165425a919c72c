import { sql } from 'drizzle-orm';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { GET as searchRoute } from '@/app/api/events/route';
import { openDatabase, type DatabaseHandle } from '@/db/client';
import { cancelEvent } from '@/lib/admin/cancel-event';
import { createEvent } from '@/lib/admin/create-event';
import { publishEvent } from '@/lib/admin/publish-event';
import { updateEvent } from '@/lib/admin/update-event';
import { clearCatalogCache, searchCatalog } from '@/lib/catalog/catalog-reads';
import { searchEventsUntil } from '@/lib/catalog/search-events';
import { SimulatedGateway } from '@/lib/checkout/simulated-gateway';
import { normalizeSearch, searchResultSchema, type SearchQuery, type SearchResult } from '@/lib/contracts/catalog';
import { parseEnv } from '@/lib/env';
import { checkoutTestDeps } from '../support/checkout';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent } from '../support/fixtures';
import { realDatabaseUrl } from '../support/services';

const viaRoute = async (query: string) => {
  const response = await searchRoute(new NextRequest(`http://localhost/api/events${query}`), {
    params: Promise.resolve({}),
  });
  expect(response.status).toBe(200);
  return searchResultSchema.parse(await response.json());
};
const names = (result: { items: { name: string }[] }) => result.items.map((i) => i.name);

/**
 * Hot searches are answered from memory, and a change to an event that can change results shows at once on the
 * instance that made it and within about a second on every other instance (they share the catalog version).
 */
describe('catalog cache: repeated searches from memory, invalidated by changes', () => {
  const { handle, url } = useTestDatabase();
  const { coordinator } = useTestCoordinator();
  const db = () => handle().db;
  beforeEach(() => clearCatalogCache());

  it('answers a repeated search from memory, and finds a renamed event at once', async () => {
    const { event, admin } = await createOnSaleEvent(db(), {
      event: { name: 'Nocturne for Strings', performer: 'Lumen Quartet' },
    });
    const first = await searchCatalog(db(), { q: 'nocturne' });
    const again = await searchCatalog(db(), { q: 'Nocturne' });
    expect(names(first)).toEqual(['Nocturne for Strings']);
    // The same normalized query is one entry: the second answer is the cached result (same items array).
    expect(again.items).toBe(first.items);
    expect((await viaRoute('?q=nocturne')).items.map((i) => i.id)).toEqual([event.id]);

    await updateEvent(db(), event.id, { name: 'Serenade for Strings' }, admin.id);
    expect(names(await searchCatalog(db(), { q: 'nocturne' }))).toEqual([]);
    expect(names(await viaRoute('?q=nocturne'))).toEqual([]);
    expect(names(await viaRoute('?q=serenade'))).toEqual(['Serenade for Strings']);
    // Browsing (another cached entry, with cached facet counts) shows the new name too.
    expect(names(await searchCatalog(db(), {}))).toEqual(['Serenade for Strings']);
  });

  it('shows a published event and hides a cancelled one at once', async () => {
    const {
      event: shown,
      admin,
      venueId,
    } = await createOnSaleEvent(db(), {
      event: { name: 'Harbor Lights', performer: 'The Tides', category: 'concert' },
    });
    expect(names(await searchCatalog(db(), { category: 'concert' }))).toEqual(['Harbor Lights']);
    const now = Date.now();
    const { id } = await createEvent(
      db(),
      {
        name: 'Harbor Lights Encore',
        performer: 'The Tides',
        category: 'concert',
        venueId,
        startsAt: new Date(now + 40 * 86_400_000),
        onSaleAt: new Date(now - 86_400_000),
        tiers: [{ name: 'Standard', priceMinor: 4000 }],
        assignments: [{ tier: 'Standard', sectionLabel: 'S1' }],
      },
      admin.id,
    );
    expect((await searchCatalog(db(), { category: 'concert' })).total).toBe(1); // a draft is not searchable
    await publishEvent(db(), id, admin.id);
    const published = await searchCatalog(db(), { category: 'concert' });
    expect(names(published)).toEqual(['Harbor Lights', 'Harbor Lights Encore']);
    expect(published.facets.categories).toEqual([{ value: 'concert', count: 2 }]);

    const deps = checkoutTestDeps(handle(), coordinator(), new SimulatedGateway({ delayMs: 0 }));
    await cancelEvent(deps, admin, shown.id, { confirmName: 'Harbor Lights' });
    expect(names(await searchCatalog(db(), { category: 'concert' }))).toEqual(['Harbor Lights Encore']);
    expect(names(await searchCatalog(db(), { q: 'harbor' }))).toEqual(['Harbor Lights Encore']);
  });

  it('keeps a result no longer than until its earliest matching event starts', async () => {
    const soon = Date.now() + 3_600_000;
    await createOnSaleEvent(db(), { event: { name: 'Early Bird Matinee', startsAt: new Date(soon) } });
    await createOnSaleEvent(db(), { event: { name: 'Late Bird Gala', startsAt: new Date(soon + 86_400_000) } });
    const { value, validUntil } = await searchEventsUntil(db(), normalizeSearch({ q: 'bird' }));
    expect(value.total).toBe(2);
    expect(validUntil).toBe(soon);
    expect((await searchEventsUntil(db(), normalizeSearch({ q: 'nothing-like-it' }))).validUntil).toBeNull();
  });

  it('gives the same answers from cached facet counts as from a cold search', async () => {
    for (const [i, city] of ['Lisbon', 'Porto', 'Lisbon'].entries()) {
      await createOnSaleEvent(db(), {
        event: {
          name: `Fado Night ${i}`,
          performer: 'Casa do Fado',
          category: i === 2 ? 'comedy' : 'concert',
          startsAt: new Date(Date.now() + (10 + i) * 86_400_000),
        },
      });
      await db().execute(sql`update events set city = ${city} where name = ${`Fado Night ${i}`}`);
    }
    // Filters and pages that share facet counts with an earlier search (same words, dates and prices).
    const queries: SearchQuery[] = [
      { q: 'fado' },
      { q: 'fado', city: 'lisbon' },
      { q: 'fado', city: 'LISBON', category: 'comedy' },
      { q: 'fado', city: 'Madrid' },
      { q: 'fado', limit: 1 },
      { q: 'fado', city: 'Lisbon', limit: 1 },
      { q: 'fado', sort: 'date', limit: 1 },
      { q: 'fadi', city: 'porto' },
      { q: 'fadi', limit: 1 },
      {},
      { city: 'lisbon', limit: 1 },
    ];
    const cold: SearchResult[] = [];
    const coldSearch = async (query: SearchQuery) => {
      clearCatalogCache();
      cold.push(await searchCatalog(db(), query));
    };
    for (const query of [...queries]) await coldSearch(query);
    // Second pages, by relevance, by date, with typos: each follows its first page in the warm pass below.
    for (const [i, first] of cold.entries())
      if (first.nextCursor) queries.push({ ...queries[i], cursor: first.nextCursor });
    expect(queries.length).toBeGreaterThan(14);
    for (const query of queries.slice(cold.length)) await coldSearch(query);
    clearCatalogCache();
    for (const [i, query] of queries.entries()) {
      const warm = await searchCatalog(db(), query);
      expect({ ...warm, serverTime: '' }, JSON.stringify(query)).toEqual({ ...cold[i], serverTime: '' });
    }
    expect(cold[2]!.total).toBe(1);
    expect(cold[3]).toMatchObject({ total: 0, withoutFilters: 3 });
    expect(cold[7]).toMatchObject({ total: 1, didYouMean: 'fado' });
  });

  describe.skipIf(!realDatabaseUrl)('with two app instances on one database', () => {
    let other: DatabaseHandle;
    beforeAll(async () => {
      other = await openDatabase(parseEnv({ DATABASE_URL: url() }), { maxConnections: 2 });
    });
    afterAll(async () => {
      await other?.close();
    });

    it('shows a change made on one instance on the other within two seconds', async () => {
      // Each database handle has caches of its own, as two processes would.
      const { event, admin } = await createOnSaleEvent(db(), {
        event: { name: 'Aurora Nights', performer: 'Polar Choir' },
      });
      // This instance has searched (its caches exist), so its change bumps only its own caches locally; the other
      // instance can learn of it only through the catalog version in the database.
      expect(names(await searchCatalog(db(), { q: 'aurora' }))).toEqual(['Aurora Nights']);
      const first = await searchCatalog(other.db, { q: 'aurora' });
      expect(names(first)).toEqual(['Aurora Nights']);
      expect((await searchCatalog(other.db, { q: 'aurora' })).items).toBe(first.items);

      await updateEvent(db(), event.id, { name: 'Borealis Nights' }, admin.id);
      const changedAt = Date.now();
      expect(names(await searchCatalog(db(), { q: 'aurora' }))).toEqual([]);
      await vi.waitFor(async () => expect(names(await searchCatalog(other.db, { q: 'aurora' }))).toEqual([]), {
        timeout: 5_000,
        interval: 50,
      });
      // The other instance reads the version at most once a second: about a second, plus slack for a busy machine
      // (without the shared version it would keep the old answer for the cache's maximum age, ten minutes).
      expect(Date.now() - changedAt).toBeLessThan(2_500);
      expect(names(await searchCatalog(other.db, { q: 'borealis' }))).toEqual(['Borealis Nights']);
    });
  });
});
