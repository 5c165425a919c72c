import type { EventInput } from '@/lib/contracts/admin-event';
import type { EventCategory } from '@/lib/contracts/categories';
import type { CurrencyCode } from '@/lib/contracts/currency';
import { SEED_VENUES, type SeedVenueKey } from './venues';

/** Small deterministic PRNG so every fresh install gets the same catalogue (relative to its first start). */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
  };
}

const CONCERT_ACTS = [
  'Aurora Lane',
  'The Midnight Owls',
  'Nova Rivers',
  'Copper & Coal',
  'Saint Juniper',
  'The Velvet Echoes',
  'Marisol Vega',
  'Static Bloom',
  'Harbor Lights Orchestra',
  'Kite Theory',
  'Ruby Okafor',
  'The Paper Moons',
];
const TOURS = ['World Tour', 'Live', 'In Concert', 'Farewell Tour', 'Acoustic Nights', 'Summer Tour'];
const PLAYS = [
  ['Hamlet', 'Northern Stage Company'],
  ['The Glass Menagerie', 'Lantern Players'],
  ['A Midsummer Night’s Dream', 'Globe Touring Company'],
  ['The Importance of Being Earnest', 'Wilde Repertory'],
  ['Cabaret', 'Kit Kat Revival'],
  ['Les Misérables', 'West End Touring Cast'],
  ['Death of a Salesman', 'Lantern Players'],
  ['The Seagull', 'Chekhov Ensemble'],
  ['Into the Woods', 'Sondheim Society'],
  ['Macbeth', 'Northern Stage Company'],
] as const;
const COMEDIANS = ['Priya Raman', 'Dev Holloway', 'Maggie Thornton', 'Luis Ortega', 'Hannah Kim'];
const FAMILY = [
  ['Circus of Wonders', 'Cirque Lumen'],
  ['Dinosaur Live!', 'Jurassic Stage'],
  ['The Snow Queen on Ice', 'Frost Skaters'],
] as const;
const TEAMS = ['Comets', 'Mariners', 'Wolves', 'Thunder', 'Falcons', 'Rangers', 'Kings', 'Storm'];

export type SeedEvent = {
  venue: SeedVenueKey;
  input: Omit<EventInput, 'venueId'>;
  publish: boolean;
  /** A fan-club presale open now until the on-sale, with this code; it also unlocks the first tier, hidden. */
  presale?: { code: string };
  /** Sold out to demo buyers after publishing, with a waitlist (db/seed/sold-out.ts). */
  soldOut?: boolean;
};

const TIMEZONES: Record<SeedVenueKey, string> = Object.fromEntries(
  SEED_VENUES.map((v) => [v.key, v.layout.timezone ?? 'UTC']),
) as Record<SeedVenueKey, string>;

const CURRENCY_OF: Partial<Record<SeedVenueKey, CurrencyCode>> = { lyric: 'GBP', spreehalle: 'EUR', sakura: 'JPY' };
const currencyOf = (venue: SeedVenueKey): CurrencyCode => CURRENCY_OF[venue] ?? 'USD';
/** What the organizer charges per ticket: $2.50-4.50 in minor units, ¥500 in Tokyo (whole yen, no decimals). */
const feeOf = (venue: SeedVenueKey) =>
  venue === 'sakura' ? 500 : venue === 'summit' ? 450 : venue === 'harborview' || venue === 'spreehalle' ? 350 : 250;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The instant when the wall clock in `timeZone` shows `hour`:00 on the day `days` from now. */
export function localTime(now: Date, days: number, hour: number, timeZone: string): Date {
  const day = new Date(now.getTime() + days * DAY);
  const guess = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    })
      .formatToParts(new Date(guess))
      .map((p) => [p.type, Number(p.value)]),
  );
  const shown = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!);
  return new Date(guess - (shown - guess));
}

function tiersFor(venue: SeedVenueKey, r: ReturnType<typeof prng>, scale = 1) {
  // A price as an organizer sets it, in minor units of the venue's currency: whole dollars, euros or pounds (x100),
  // or yen rounded to ¥500 at about ¥150 a dollar (JPY has no minor unit: ¥9,500 is 9500).
  const yen = currencyOf(venue) === 'JPY';
  const price = (dollars: number) => {
    const amount = dollars * scale * (0.85 + r.next() * 0.3);
    return yen ? Math.round((amount * 150) / 500) * 500 : Math.round(amount) * 100;
  };
  if (venue === 'cellar') {
    return {
      tiers: [
        { name: 'Front row', priceMinor: price(55), color: '#7c3aed' },
        { name: 'Back row', priceMinor: price(40), color: '#2563eb' },
      ],
      assignments: [
        { tier: 'Front row', sectionLabel: 'Floor', rowLabel: 'A' },
        { tier: 'Back row', sectionLabel: 'Floor', rowLabel: 'B' },
      ],
    };
  }
  if (venue === 'summit') {
    const lowerSide = [
      101, 102, 103, 104, 105, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 136, 137, 138, 139, 140,
    ];
    return {
      tiers: [
        { name: 'Lower sideline', priceMinor: price(180), color: '#7c3aed' },
        { name: 'Lower corner', priceMinor: price(120), color: '#2563eb' },
        { name: 'Upper bowl', priceMinor: price(60), color: '#0d9488' },
      ],
      assignments: [
        ...Array.from({ length: 40 }, (_, i) => 101 + i).map((s) => ({
          tier: lowerSide.includes(s) ? 'Lower sideline' : 'Lower corner',
          sectionLabel: String(s),
        })),
        ...Array.from({ length: 40 }, (_, i) => ({ tier: 'Upper bowl', sectionLabel: String(201 + i) })),
      ],
    };
  }
  if (venue === 'harborview' || venue === 'spreehalle') {
    const sections = Array.from({ length: 16 }, (_, i) => String(101 + i));
    const premium = ['101', '102', '116', '108', '109', '110'];
    return {
      tiers: [
        { name: 'Premium', priceMinor: price(150), color: '#7c3aed' },
        { name: 'Standard', priceMinor: price(95), color: '#2563eb' },
        { name: 'Upper rows', priceMinor: price(65), color: '#0d9488' },
      ],
      assignments: [
        ...sections.map((s) => ({ tier: premium.includes(s) ? 'Premium' : 'Standard', sectionLabel: s })),
        ...sections.flatMap((s) => ['J', 'K'].map((row) => ({ tier: 'Upper rows', sectionLabel: s, rowLabel: row }))),
      ],
    };
  }
  return {
    tiers: [
      { name: 'Premium stalls', priceMinor: price(120), color: '#7c3aed' },
      { name: 'Stalls', priceMinor: price(85), color: '#2563eb' },
      { name: 'Balcony', priceMinor: price(45), color: '#0d9488' },
    ],
    assignments: [
      { tier: 'Stalls', sectionLabel: 'Stalls' },
      ...['A', 'B', 'C', 'D', 'E'].map((row) => ({ tier: 'Premium stalls', sectionLabel: 'Stalls', rowLabel: row })),
      { tier: 'Balcony', sectionLabel: 'Balcony' },
    ],
  };
}

/** 64 events across nine venues and seven cities, relative to `now`: most on sale, some soon, one high-demand, one sold out. */
export function seedEvents(now: Date): SeedEvent[] {
  const r = prng(20261122);
  const at = (days: number, hour = 19): [number, number] => [days, hour];
  const out: SeedEvent[] = [];
  const add = (
    venue: SeedVenueKey,
    category: EventCategory,
    name: string,
    performer: string,
    [days, hour]: [number, number],
    extra: Partial<EventInput> = {},
    scale = 1,
  ) => {
    const startsAt = localTime(now, days, hour, TIMEZONES[venue]);
    const onSaleAt = extra.onSaleAt ? new Date(extra.onSaleAt as Date) : new Date(now.getTime() - r.int(2, 30) * DAY);
    out.push({
      venue,
      publish: true,
      input: {
        name,
        performer,
        category,
        description: `${name} — ${performer}. Doors open one hour before the start. All tickets are reserved seating.`,
        startsAt,
        timezone: TIMEZONES[venue],
        currency: currencyOf(venue),
        feePerTicketMinor: feeOf(venue),
        // Prices in London, Berlin and Tokyo include the tax, as buyers there expect (decision 040); US prices stay
        // untaxed. Japan's 10% consumption tax is rounded per ticket to whole yen.
        ...(venue === 'lyric' ? { taxMode: 'inclusive' as const, taxRateBp: 2000, taxLabel: 'VAT' } : {}),
        ...(venue === 'spreehalle' ? { taxMode: 'inclusive' as const, taxRateBp: 700, taxLabel: 'VAT' } : {}),
        ...(venue === 'sakura' ? { taxMode: 'inclusive' as const, taxRateBp: 1000, taxLabel: 'Consumption tax' } : {}),
        ...tiersFor(venue, r, scale),
        ...extra,
        onSaleAt,
      },
    });
  };

  const theatres = ['lyric', 'orpheum', 'apollo', 'palace'] as const;
  const arenas = ['harborview', 'spreehalle'] as const;

  // Theatre runs: 28 performances.
  for (let i = 0; i < 28; i++) {
    const [play, company] = PLAYS[i % PLAYS.length]!;
    add(
      theatres[i % theatres.length]!,
      'theatre',
      play,
      company,
      at(3 + i * 4 + r.int(0, 3), r.pick([14, 19, 19, 20])),
    );
  }
  // Comedy and family shows in theatres: 10.
  for (let i = 0; i < 6; i++) {
    const comedian = COMEDIANS[i % COMEDIANS.length]!;
    add(theatres[(i + 1) % theatres.length]!, 'comedy', `${comedian}: Stand-Up Live`, comedian, at(5 + i * 9, 20));
  }
  for (let i = 0; i < 4; i++) {
    const [show, company] = FAMILY[i % FAMILY.length]!;
    add(theatres[(i + 2) % theatres.length]!, 'family', show, company, at(8 + i * 11, 13));
  }
  // Arena concerts and games: 20.
  for (let i = 0; i < 14; i++) {
    const act = CONCERT_ACTS[i % CONCERT_ACTS.length]!;
    add(arenas[i % 2]!, 'concert', `${act} ${r.pick(TOURS)}`, act, at(4 + i * 6 + r.int(0, 2), 20));
  }
  for (let i = 0; i < 6; i++) {
    const home = TEAMS[i % TEAMS.length]!;
    const away = TEAMS[(i + 3) % TEAMS.length]!;
    add(arenas[i % 2]!, 'sports', `${home} vs ${away}`, `${home} Basketball`, at(6 + i * 10, 19));
  }
  // Stadium: a festival, a final, and the high-demand tour opener.
  add('summit', 'festival', 'Summit Sound Festival', 'Various artists', at(45, 16));
  add('summit', 'sports', 'Championship Final: Comets vs Storm', 'Austin Comets', at(60, 18), {}, 1.2);
  add('summit', 'concert', 'Aurora Lane: Stadium Tour Opener', 'Aurora Lane', at(75, 20), {
    highDemand: true,
    onSaleAt: new Date(now.getTime() + 2 * HOUR),
    prequeueOpensAt: new Date(now.getTime() - 1 * HOUR),
    queueCapacity: 100,
    admissionRatePerMinute: 60,
    perOrderLimit: 4,
    perAccountLimit: 4,
  });

  // The sold-out show with a waitlist: every seat bought by demo buyers, a few parties waiting (issue 18).
  add('cellar', 'concert', 'The Nightjar Trio: Sold-Out Session', 'The Nightjar Trio', at(12, 21), {
    perOrderLimit: 8,
    perAccountLimit: 8,
  });
  out[out.length - 1]!.soldOut = true;

  // Tokyo, in yen (issue 20, decision 045): a concert and a comedy night at Sakura Hall, on sale now.
  add('sakura', 'concert', 'Hikari Ensemble: Winter Concert', 'Hikari Ensemble', at(16, 19));
  add('sakura', 'comedy', 'Rakugo Night: Tales from Edo', 'Koza Tachibana', at(23, 18));

  // On sale soon: the next six concerts and plays open in the coming days.
  const soon = [2, 9, 17, 33, 40, 47];
  soon.forEach((index, k) => {
    const event = out[index]!;
    event.input.onSaleAt = new Date(now.getTime() + (k === 0 ? 20 * 60_000 : (k * 18 + 6) * HOUR));
  });
  // The demo's presale (issue 18): the second of them, on general sale tomorrow, sells to code holders now.
  out[soon[1]!]!.presale = { code: 'FANCLUB' };
  return out;
}
