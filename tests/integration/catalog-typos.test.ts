import { beforeAll, describe, expect, it } from 'vitest';
import { events, venues } from '@/db/schema';
import { seedEvents } from '@/db/seed/events';
import { SEED_VENUES } from '@/db/seed/venues';
import { searchDocument } from '@/lib/admin/create-event';
import { searchEvents } from '@/lib/catalog/search-events';
import { normalizeSearch } from '@/lib/contracts/catalog';
import { useTestDatabase } from '../support/database';

/**
 * Typos people really make (a wrong, missing, extra or swapped letter, in any position), over the demo catalogue's
 * names, performers, venues and cities. The catalogue's events are written as rows (no seats: search reads only
 * the events table), so this runs in a second instead of seeding 250,000 seats.
 */
const now = new Date('2026-11-22T12:00:00Z');

/** [typed, what the person meant: the name, performer, venue or city every result must carry] */
const TYPOS: [string, string][] = [
  ['hamelt', 'Hamlet'],
  ['hamlte', 'Hamlet'],
  ['hmalet', 'Hamlet'],
  ['macbteh', 'Macbeth'],
  ['mcbeth', 'Macbeth'],
  ['cabarte', 'Cabaret'],
  ['cabret', 'Cabaret'],
  ['seagul', 'The Seagull'],
  ['menagrie', 'The Glass Menagerie'],
  ['midsumer', 'A Midsummer Night’s Dream'],
  ['salseman', 'Death of a Salesman'],
  ['earnets', 'The Importance of Being Earnest'],
  ['miserbales', 'Les Misérables'],
  ['chekov ensemble', 'Chekhov Ensemble'],
  ['sondhiem', 'Sondheim Society'],
  ['holoway', 'Dev Holloway'],
  ['maggie thorton', 'Maggie Thornton'],
  ['ortgea', 'Luis Ortega'],
  ['dinosuar', 'Dinosaur Live!'],
  ['circsu of wonders', 'Circus of Wonders'],
  ['juinper', 'Saint Juniper'],
  ['velevt echoes', 'The Velvet Echoes'],
  ['marsiol vega', 'Marisol Vega'],
  ['okafro', 'Ruby Okafor'],
  ['falcnos', 'Falcons'],
  ['championship fianl', 'Championship Final: Comets vs Storm'],
  ['festivla', 'Summit Sound Festival'],
  ['berlni', 'Berlin'],
  ['chicgao', 'Chicago'],
  ['orpehum', 'Orpheum Theatre'],
];

describe('typos over the demo catalogue', () => {
  const { handle } = useTestDatabase({ reset: false });
  const search = (q: string) => searchEvents(handle().db, normalizeSearch({ q, limit: 50 }), { now });

  beforeAll(async () => {
    const db = handle().db;
    const venueIds = new Map<string, { id: string; name: string; city: string }>();
    for (const v of SEED_VENUES) {
      const [row] = await db
        .insert(venues)
        .values({ name: v.layout.name, city: v.layout.city, timezone: v.layout.timezone ?? 'UTC' })
        .returning({ id: venues.id, name: venues.name, city: venues.city });
      venueIds.set(v.key, row!);
    }
    const planned = seedEvents(now);
    await db.insert(events).values(
      planned.map((e, i) => {
        const venue = venueIds.get(e.venue)!;
        return {
          slug: `typo-${i}`,
          name: e.input.name,
          performer: e.input.performer,
          category: e.input.category,
          city: venue.city,
          venueId: venue.id,
          startsAt: e.input.startsAt as Date,
          onSaleAt: new Date(now.getTime() - 86_400_000),
          status: 'published' as const,
          searchDocument: searchDocument({ ...e.input, city: venue.city }, venue.name),
        };
      }),
    );
  });

  it('finds the event directly for at least 28 of 30 real typos', async () => {
    const missed: string[] = [];
    for (const [typed, meant] of TYPOS) {
      const result = await search(typed);
      const carries = (i: (typeof result.items)[number]) =>
        [i.name, i.performer, i.venueName, i.city].some((text) => text.includes(meant));
      if (result.items.length === 0 || !result.items.every(carries))
        missed.push(
          `${typed} → ${result.items.map((i) => i.name).join(', ') || 'nothing'} (did you mean ${result.didYouMean})`,
        );
    }
    expect(missed.length, missed.join('\n')).toBeLessThanOrEqual(2);
  });

  it('shows the events of a corrected word and offers the spelling it used', async () => {
    const result = await search('hamelt');
    expect(new Set(result.items.map((i) => i.name))).toEqual(new Set(['Hamlet']));
    expect(result.didYouMean).toBe('hamlet');
    expect((await search('miserbales')).didYouMean).toBe('misérables');
  });

  it('corrects only when one word is the likely meaning; a far-off word stays a suggestion or nothing', async () => {
    const result = await search('xqzvbn');
    expect(result.items).toEqual([]);
    // A correct word is never replaced.
    expect((await search('hamlet')).didYouMean).toBeNull();
  });

  it('pages a corrected search with cursors of the words as typed', async () => {
    const first = await searchEvents(handle().db, normalizeSearch({ q: 'hmalet', limit: 2 }), { now });
    expect(first.items.length).toBe(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await searchEvents(
      handle().db,
      normalizeSearch({ q: 'hmalet', limit: 2, cursor: first.nextCursor! }),
      { now },
    );
    expect(second.items.length).toBeGreaterThan(0);
    expect(second.items.every((i) => i.name === 'Hamlet')).toBe(true);
    expect(second.items.map((i) => i.id)).not.toContain(first.items[0]!.id);
  });
});
