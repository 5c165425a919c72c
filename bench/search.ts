/**
 * `npm run bench:search`: catalog search latency on 100,000 events, against a primary-key lookup of one event
 * measured in the same run on the same database (the baseline).
 *
 * The events go into a database of their own, never the demo data: with DATABASE_URL set, a sibling database
 * "<name>_bench_search" on that server (created, filled once and reused while it holds the same number of
 * events); without it, an in-memory PGlite. Searches call `searchCatalog`, the function GET /api/events and the
 * /events page call, through the app's catalog cache. Two modes, interleaved so both see the same machine load:
 * - cold: the cache of the bench's database handle is cleared before every search, so the search reads the
 *   database (facet counts and the page); each miss is checked (the result is not the cached one).
 * - repeated: the same search again right after, answered from the cache as a hot query is during an on-sale
 *   (version check, at most one version read a second, LRU lookup); each hit is checked (the cached result).
 * The indexes of migration 0007 must be on the bench database (the bench says when they are not).
 *
 * Options (environment): BENCH_EVENTS (100000), BENCH_ROUNDS (40 rounds of the query mix), BENCH_FRESH=1 to rebuild.
 */
import postgres from 'postgres';
import { eq, sql } from 'drizzle-orm';
import { openDatabase, openPglite, type DatabaseHandle } from '@/db/client';
import { migrate } from '@/db/migrations-runner';
import { events, venues } from '@/db/schema';
import { rows } from '@/db/sql';
import { clearCatalogCache, searchCatalog } from '@/lib/catalog/catalog-reads';
import { searchEvents } from '@/lib/catalog/search-events';
import { EVENT_CATEGORIES, type EventCategory } from '@/lib/contracts/categories';
import { normalizeSearch, type SearchQuery } from '@/lib/contracts/catalog';
import { parseEnv } from '@/lib/env';
import { prng } from '@/db/seed/events';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
/** The targets: p99 of a cold search, and of a repeated one (served from the cache). */
const TARGET_COLD_P99_MS = 50;
const TARGET_REPEATED_P99_MS = 10;

const ADJECTIVES =
  'Velvet Midnight Copper Silver Golden Electric Static Neon Crimson Paper Wild Quiet Hollow Lunar Solar Northern Rusty Broken Gentle Savage Crystal Amber Scarlet Frozen Burning Hidden Lost Young Ancient Restless Cosmic Iron Glass Marble Violet Wandering Sleepy Roaring Dusty Sunny'.split(
    ' ',
  );
const NOUNS =
  'Owls Echoes Rivers Lanterns Wolves Kites Moons Harbors Tigers Arrows Saints Ghosts Pilots Sparrows Engines Bells Foxes Giants Comets Lions Mirrors Waves Hearts Shadows Dreamers Ravens Horses Sailors Anchors Thieves Poets Machines Gardens Islands Mountains Strangers Monarchs Orchids Canyons Satellites'.split(
    ' ',
  );
const FIRST =
  'Aurora Nova Ruby Marisol Priya Dev Maggie Luis Hannah Kofi Ingrid Mateo Yuki Amara Felix Zara Omar Lena Theo Ivy Jonas Selma Rafael Noor Elena'.split(
    ' ',
  );
const LAST =
  'Lane Rivers Vega Okafor Raman Holloway Thornton Ortega Kim Mensah Berg Silva Tanaka Diallo Weber Haddad Novak Costa Lindqvist Moreau'.split(
    ' ',
  );
const PLAYS = [
  'Hamlet',
  'Macbeth',
  'The Seagull',
  'Cabaret',
  'Into the Woods',
  'The Glass Menagerie',
  'Death of a Salesman',
  'Les Misérables',
  'The Importance of Being Earnest',
  'A Midsummer Night’s Dream',
  'Othello',
  'King Lear',
  'Uncle Vanya',
  'The Tempest',
  'Pygmalion',
];
const TOURS = [
  'World Tour',
  'Live',
  'In Concert',
  'Farewell Tour',
  'Acoustic Nights',
  'Summer Tour',
  'Unplugged',
  'Greatest Hits',
];
const CITIES =
  'London Boston Chicago New York Seattle Berlin Austin Paris Madrid Lisbon Dublin Toronto Montreal Denver Portland Atlanta Miami Dallas Houston Phoenix Vienna Prague Warsaw Oslo Stockholm Copenhagen Helsinki Amsterdam Brussels Zurich Milan Rome Naples Athens Istanbul Sydney Melbourne Auckland Tokyo Osaka Seoul Singapore Mumbai Delhi Cairo Lagos Nairobi Lima Bogota Santiago Buenos Aires Mexico City Vancouver Calgary Nashville Memphis Detroit Cleveland Pittsburgh Baltimore'
    .split(/ (?=[A-Z])/)
    .filter((c) => c !== 'New' && c !== 'Aires' && c !== 'City');
const VENUE_KINDS = [
  'Arena',
  'Theatre',
  'Hall',
  'Stadium',
  'Playhouse',
  'Amphitheatre',
  'Opera House',
  'Ballroom',
  'Pavilion',
  'Forum',
];
const TIMEZONES = [
  'Europe/London',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'Europe/Berlin',
  'Asia/Tokyo',
  'Australia/Sydney',
  'UTC',
];

const band = (r: ReturnType<typeof prng>) => `The ${r.pick(ADJECTIVES)} ${r.pick(NOUNS)}`;
const person = (r: ReturnType<typeof prng>) => `${r.pick(FIRST)} ${r.pick(LAST)}`;

function eventFor(r: ReturnType<typeof prng>, category: EventCategory): { name: string; performer: string } {
  switch (category) {
    case 'concert': {
      const performer = r.next() < 0.5 ? band(r) : person(r);
      return { name: `${performer} ${r.pick(TOURS)}`, performer };
    }
    case 'theatre':
      return {
        name: r.pick(PLAYS),
        performer: `${r.pick(ADJECTIVES)} ${r.pick(['Players', 'Company', 'Repertory', 'Ensemble'])}`,
      };
    case 'sports': {
      const home = r.pick(NOUNS);
      return {
        name: `${home} vs ${r.pick(NOUNS.filter((n) => n !== home))}`,
        performer: `${home} ${r.pick(['Basketball', 'Hockey', 'Football'])}`,
      };
    }
    case 'comedy': {
      const comedian = person(r);
      return { name: `${comedian}: Stand-Up Live`, performer: comedian };
    }
    case 'family':
      return {
        name: `${r.pick(['Circus of', 'Dinosaurs and', 'Magic of', 'Legends of'])} ${r.pick(NOUNS)}`,
        performer: `${r.pick(ADJECTIVES)} Family Shows`,
      };
    case 'festival':
      return {
        name: `${r.pick(CITIES)} ${r.pick(['Sound', 'Jazz', 'Folk', 'Summer'])} Festival`,
        performer: 'Various artists',
      };
  }
}

async function openBenchDatabase(): Promise<DatabaseHandle> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) {
    const handle = await openPglite(null);
    await migrate(handle);
    return handle;
  }
  const base = new URL(url);
  const name = `${base.pathname.slice(1) || 'admitone'}_bench_search`;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  const exists = (await client`select 1 from pg_database where datname = ${name}`).length > 0;
  if (exists && process.env.BENCH_FRESH) await client.unsafe(`drop database "${name}" with (force)`);
  if (!exists || process.env.BENCH_FRESH) await client.unsafe(`create database "${name}"`);
  await client.end();
  base.pathname = `/${name}`;
  const handle = await openDatabase(parseEnv({ DATABASE_URL: base.toString() }), { maxConnections: 2 });
  await migrate(handle);
  return handle;
}

async function fill(handle: DatabaseHandle, now: Date): Promise<void> {
  const db = handle.db;
  const [have] = await rows<{ n: number }>(db, sql`select count(*)::int as n from events`);
  if (have?.n === EVENTS) {
    console.log(`Reusing ${EVENTS.toLocaleString('en')} events in ${handle.location}.`);
    return;
  }
  await db.execute(sql`truncate events, venues cascade`);
  const started = Date.now();
  const r = prng(100_000);
  const venueRows = Array.from({ length: 400 }, (_, i) => {
    const city = CITIES[i % CITIES.length]!;
    return {
      name: `${r.pick(ADJECTIVES)} ${r.pick(VENUE_KINDS)}`,
      city,
      timezone: TIMEZONES[i % TIMEZONES.length]!,
      address: `${i + 1} Main Street`,
    };
  });
  const venueIds = (
    await db
      .insert(venues)
      .values(venueRows)
      .returning({ id: venues.id, name: venues.name, city: venues.city, timezone: venues.timezone })
  ).map((v) => v);
  const DAY = 86_400_000;
  for (let offset = 0; offset < EVENTS; offset += 1000) {
    const batch = Array.from({ length: Math.min(1000, EVENTS - offset) }, (_, k) => {
      const i = offset + k;
      const venue = venueIds[r.int(0, venueIds.length - 1)]!;
      const category = EVENT_CATEGORIES[r.int(0, EVENT_CATEGORIES.length - 1)]!;
      const { name, performer } = eventFor(r, category);
      // A few have started already and a few are drafts, as in a real catalogue: search must skip them.
      const days = r.next() < 0.05 ? -r.int(1, 60) : r.int(1, 365);
      const startsAt = new Date(now.getTime() + days * DAY + r.int(10, 22) * 3_600_000);
      const min = r.int(15, 120) * 100;
      return {
        slug: `bench-${i}`,
        name,
        performer,
        category,
        city: venue.city,
        venueId: venue.id,
        startsAt,
        timezone: venue.timezone,
        onSaleAt: new Date(Math.min(startsAt.getTime(), now.getTime() + r.int(-30, 10) * DAY)),
        status: r.next() < 0.03 ? ('draft' as const) : ('published' as const),
        currency: 'USD' as const,
        seatsTotal: 1000,
        minPriceMinor: min,
        maxPriceMinor: min + r.int(0, 200) * 100,
        searchDocument: [name, performer, venue.name, venue.city, category].join(' '),
      };
    });
    await db.insert(events).values(batch);
  }
  // Vacuum too, not only analyze: index-only scans (facet counts) need the visibility map of a fresh table.
  await db.execute(sql`vacuum analyze events`);
  console.log(
    `Generated ${EVENTS.toLocaleString('en')} events at 400 venues in ${CITIES.length} cities in ${((Date.now() - started) / 1000).toFixed(1)} s (${handle.location}).`,
  );
}

const day = (now: Date, days: number) => new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);

/** A mix of what buyers ask: browsing, names, typos, prefixes while typing, filters, later pages, dead ends. */
function queryMix(now: Date): { label: string; query: SearchQuery; nextPage?: boolean }[] {
  return [
    { label: 'browse, first page', query: {} },
    { label: 'browse, page 2 (cursor)', query: {}, nextPage: true },
    { label: 'performer', query: { q: 'Aurora Lane' } },
    { label: 'title', query: { q: 'hamlet' } },
    { label: 'typo', query: { q: 'hamlit' } },
    { label: 'typo, two words', query: { q: 'velvet owsl' } },
    { label: 'prefix while typing', query: { q: 'mid' } },
    { label: 'city word', query: { q: 'berlin' } },
    { label: 'city + category', query: { city: 'Boston', category: 'concert' } },
    { label: 'dates + price', query: { from: day(now, 30), to: day(now, 60), maxPrice: 50 } },
    {
      label: 'words + all filters',
      query: {
        q: 'live',
        city: 'Chicago',
        category: 'comedy',
        from: day(now, 1),
        to: day(now, 200),
        minPrice: 20,
        maxPrice: 150,
      },
    },
    { label: 'words, by date', query: { q: 'tour', sort: 'date' } },
    { label: 'words, page 2 (cursor)', query: { q: 'tour' }, nextPage: true },
    { label: 'no match (suggestion)', query: { q: 'zzqxv hamlet' } },
    { label: 'typo, corrected', query: { q: 'hamelt' } },
    { label: 'filters exclude all', query: { q: 'hamlet', city: 'Oslo', from: day(now, 300), to: day(now, 301) } },
  ];
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1)! };
};
const ms = (n: number) => `${n.toFixed(2).padStart(7)} ms`;

async function main() {
  const now = new Date();
  const handle = await openBenchDatabase();
  try {
    await fill(handle, now);
    const db = handle.db;
    const mix = queryMix(now);
    const cursors = new Map<string, string>();
    for (const item of mix) {
      if (!item.nextPage) continue;
      const first = await searchEvents(db, normalizeSearch(item.query), { now });
      if (first.nextCursor) cursors.set(item.label, first.nextCursor);
    }
    const ids = (await rows<{ id: string }>(db, sql`select id from events order by random() limit 500`)).map(
      (r) => r.id,
    );

    const missing = await rows<{ name: string }>(
      db,
      sql`select name from unnest(array['events_upcoming_idx', 'events_facets_idx', 'catalog_version']) name where to_regclass(name) is null`,
    );
    if (missing.length) {
      const how =
        handle.mode === 'postgres'
          ? `migrate ${handle.location} (npm run db:migrate)`
          : 'measure on PostgreSQL (DATABASE_URL)';
      console.log(`NOTE: ${missing.map((m) => m.name).join(', ')} missing: ${how} for these figures to mean anything.`);
    }

    const search = (item: (typeof mix)[number]) => {
      const cursor = cursors.get(item.label);
      return searchCatalog(db, { ...item.query, ...(cursor ? { cursor } : {}) });
    };
    const lookup = (id: string) => db.select().from(events).where(eq(events.id, id)).limit(1);

    // Warm up query plans and connections.
    for (const item of mix) {
      clearCatalogCache(db);
      await search(item);
    }
    for (const id of ids.slice(0, 50)) await lookup(id);

    const modes = ['cold', 'repeated'] as const;
    const perShape = new Map<string, number[]>(
      mix.flatMap((m) => modes.map((mode) => [`${mode}:${m.label}`, []] as [string, number[]])),
    );
    const all = { cold: [] as number[], repeated: [] as number[] };
    const baseline: number[] = [];
    const totals = new Map<string, number>();
    // searchCatalog returns a copy of the cached result with a fresh serverTime; its items are the cached array.
    let coldMisses = 0;
    let repeatedHits = 0;
    const lastItems = new Map<string, unknown>();
    for (let round = 0; round < ROUNDS; round++) {
      // Interleave the baseline and both modes so all see the same machine load.
      for (const [k, item] of mix.entries()) {
        const t0 = performance.now();
        await lookup(ids[(round * mix.length + k) % ids.length]!);
        baseline.push(performance.now() - t0);

        clearCatalogCache(db);
        const t1 = performance.now();
        const cold = await search(item);
        const t2 = performance.now();
        const repeated = await search(item);
        const t3 = performance.now();

        for (const [mode, elapsed] of [
          ['cold', t2 - t1],
          ['repeated', t3 - t2],
        ] as const) {
          all[mode].push(elapsed);
          perShape.get(`${mode}:${item.label}`)!.push(elapsed);
        }
        if (cold.items !== lastItems.get(item.label)) coldMisses++;
        if (repeated.items === cold.items) repeatedHits++;
        lastItems.set(item.label, repeated.items);
        totals.set(item.label, cold.total);
      }
    }

    const b = stats(baseline);
    console.log(
      `\nCatalog search on ${EVENTS.toLocaleString('en')} events (${handle.mode}), ${all.cold.length} searches per mode in ${ROUNDS} rounds of ${mix.length} shapes`,
    );
    console.log(
      'shape'.padEnd(28),
      'matches'.padStart(8),
      '   cold p50',
      '   cold p99',
      '  repeated p50',
      '  repeated p99',
    );
    for (const item of mix) {
      const cold = stats(perShape.get(`cold:${item.label}`)!);
      const repeated = stats(perShape.get(`repeated:${item.label}`)!);
      console.log(
        item.label.padEnd(28),
        String(totals.get(item.label)).padStart(8),
        ms(cold.p50),
        ms(cold.p99),
        '  ',
        ms(repeated.p50),
        '  ',
        ms(repeated.p99),
      );
    }
    console.log('');
    for (const mode of modes) {
      const s = stats(all[mode]);
      const label = mode === 'cold' ? 'search, cold (cache cleared)' : 'search, repeated (from the cache)';
      console.log(
        `${label.padEnd(34)} p50 ${ms(s.p50)}   p95 ${ms(s.p95)}   p99 ${ms(s.p99)}   max ${ms(s.max)}   p99/baseline ${(s.p99 / b.p99).toFixed(1)}x`,
      );
    }
    console.log(
      `${'baseline: one event by id'.padEnd(34)} p50 ${ms(b.p50)}   p95 ${ms(b.p95)}   p99 ${ms(b.p99)}   max ${ms(b.max)}`,
    );
    console.log(
      `cold searches that read the database: ${coldMisses}/${all.cold.length}; repeated searches served from the cache: ${repeatedHits}/${all.repeated.length}`,
    );
    const coldP99 = stats(all.cold).p99;
    const repeatedP99 = stats(all.repeated).p99;
    const verdict = (p99: number, target: number) =>
      `${p99 < target ? 'MET' : 'MISS'} (p99 ${p99.toFixed(2)} ms < ${target} ms)`;
    console.log(`cold:     ${verdict(coldP99, TARGET_COLD_P99_MS)}`);
    console.log(`repeated: ${verdict(repeatedP99, TARGET_REPEATED_P99_MS)}`);
    const load = (await import('node:os')).loadavg()[0]!;
    console.log(`machine load average during the run: ${load.toFixed(1)} (figures vary with it; compare the ratios)`);
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
