import type { RowSpec, SectionSpec } from '@/lib/contracts/venue-layout';
import type { VenueLayoutInput } from '@/lib/contracts/venue-layout';

type SectionInput = Omit<Partial<SectionSpec>, 'rows'> &
  Pick<SectionSpec, 'label' | 'name' | 'origin'> & { rows: Partial<RowSpec>[] };

const letters = (n: number, skip = ['I', 'O']) => {
  const out: string[] = [];
  for (let c = 65; out.length < n; c++) {
    const label = c <= 90 ? String.fromCharCode(c) : String.fromCharCode(65 + ((c - 91) % 26)).repeat(2);
    if (!skip.includes(label)) out.push(label);
  }
  return out;
};

/** A 24-seat jazz cellar: two rows of twelve round a small stage, wheelchair spaces at the ends of the back row. */
export function club(name: string, city: string, country: string, timezone: string): VenueLayoutInput {
  const rows = ['A', 'B'].map((label, i): Partial<RowSpec> => ({
    label,
    seats: 12,
    aislesAfter: [6],
    wheelchair: i === 1 ? [1, 12] : [],
  }));
  return {
    name,
    city,
    country,
    timezone,
    address: '12 Basement Steps',
    description: 'A jazz cellar of two rows round a small stage. Step-free access by the lift to row B.',
    stage: { x: -60, y: -10, width: 120, height: 30, label: 'Stage' },
    sections: [{ label: 'Floor', name: 'Floor', origin: { x: 0, y: 40 }, curveRadius: 160, rows }] as SectionSpec[],
  };
}

/** A 500-seat proscenium theatre: curved stalls with two aisles and wheelchair spaces, and a balcony behind. */
export function theatre(name: string, city: string, country: string, timezone: string): VenueLayoutInput {
  const stallsRows = letters(14).map((label, i): Partial<RowSpec> => ({
    label,
    seats: 22,
    aislesAfter: [6, 16],
    wheelchair: i === 13 ? [1, 22] : [],
    companion: i === 13 ? [2, 21] : [],
  }));
  const balconyRows = letters(8).map((label, i): Partial<RowSpec> => ({
    label: `B${label}`,
    seats: 24,
    aislesAfter: [12],
    restrictedView: i >= 6 ? [1, 2, 23, 24] : [],
  }));
  const sections: SectionInput[] = [
    { label: 'Stalls', name: 'Stalls', origin: { x: 0, y: 60 }, curveRadius: 420, rows: stallsRows },
    {
      label: 'Balcony',
      name: 'Balcony',
      origin: { x: 0, y: 270 },
      curveRadius: 520,
      rowSpacing: 13,
      rows: balconyRows,
    },
  ];
  return {
    name,
    city,
    country,
    timezone,
    address: '1 Theatre Row',
    description: 'A proscenium theatre with curved stalls and a balcony. Step-free access to row N of the stalls.',
    stage: { x: -120, y: -20, width: 240, height: 50, label: 'Stage' },
    sections: sections as SectionSpec[],
  };
}

/** A 4,000-seat arena: sixteen angled sections of 250 seats around a central floor. */
export function arena(name: string, city: string, country: string, timezone: string): VenueLayoutInput {
  const radius = 680;
  const sections: SectionInput[] = Array.from({ length: 16 }, (_, i) => {
    const degrees = (i * 360) / 16;
    const a = (degrees * Math.PI) / 180;
    return {
      label: String(101 + i),
      name: `Section ${101 + i}`,
      origin: { x: Math.round(-radius * Math.sin(a)), y: Math.round(radius * Math.cos(a)) },
      rotation: degrees,
      curveRadius: radius,
      rows: letters(10).map((label, r) => ({
        label,
        seats: 25,
        aislesAfter: [],
        wheelchair: r === 9 && i % 4 === 0 ? [1, 2] : [],
        companion: r === 9 && i % 4 === 0 ? [3] : [],
      })),
    };
  });
  return {
    name,
    city,
    country,
    timezone,
    address: '100 Arena Way',
    description:
      'An indoor arena with sixteen sections around the floor. Wheelchair platforms at the back of sections 101, 105, 109 and 113.',
    stage: { x: -300, y: -300, width: 600, height: 600, label: 'Floor' },
    sections: sections as SectionSpec[],
  };
}

/** A 50,800-seat stadium: a lower bowl of forty sections and an upper bowl of forty. */
export function stadium(name: string, city: string, country: string, timezone: string): VenueLayoutInput {
  const ring = (
    count: number,
    first: number,
    radius: number,
    rows: number,
    seats: number,
    name: string,
  ): SectionInput[] =>
    Array.from({ length: count }, (_, i) => {
      const degrees = (i * 360) / count;
      const a = (degrees * Math.PI) / 180;
      return {
        label: String(first + i),
        name: `${name} ${first + i}`,
        origin: { x: Math.round(-radius * Math.sin(a)), y: Math.round(radius * Math.cos(a)) },
        rotation: degrees,
        curveRadius: radius,
        rows: Array.from({ length: rows }, (_, r) => ({
          label: String(r + 1),
          seats,
          aislesAfter: [Math.floor(seats / 2)],
          wheelchair: first === 101 && r === rows - 1 && i % 5 === 0 ? [1, 2, seats - 1, seats] : [],
          restrictedView: first === 201 && r >= rows - 2 && i % 10 === 9 ? [1, 2, 3] : [],
        })),
      };
    });
  return {
    name,
    city,
    country,
    timezone,
    address: '1 Stadium Drive',
    description: 'An open-air stadium: a lower bowl around the field and an upper bowl above it.',
    stage: { x: -900, y: -1300, width: 1800, height: 2600, label: 'Field' },
    sections: [...ring(40, 101, 2000, 25, 30, 'Lower'), ...ring(40, 201, 2420, 20, 26, 'Upper')] as SectionSpec[],
  };
}

export const SEED_VENUES = [
  // Smallest first: the seed creates venues in this order, and sells this one out (db/seed/sold-out.ts).
  { key: 'cellar', shape: 'club', layout: club('The Blue Cellar', 'Chicago', 'US', 'America/Chicago') },
  { key: 'lyric', shape: 'theatre', layout: theatre('The Lyric Theatre', 'London', 'GB', 'Europe/London') },
  // Priced in yen (decision 045): the demo's zero-decimal currency, and a venue far from UTC (GMT+9).
  { key: 'sakura', shape: 'theatre', layout: theatre('Sakura Hall', 'Tokyo', 'JP', 'Asia/Tokyo') },
  { key: 'orpheum', shape: 'theatre', layout: theatre('Orpheum Theatre', 'Boston', 'US', 'America/New_York') },
  { key: 'apollo', shape: 'theatre', layout: theatre('Apollo Playhouse', 'Chicago', 'US', 'America/Chicago') },
  { key: 'palace', shape: 'theatre', layout: theatre('Broadway Palace', 'New York', 'US', 'America/New_York') },
  { key: 'harborview', shape: 'arena', layout: arena('Harborview Arena', 'Seattle', 'US', 'America/Los_Angeles') },
  { key: 'spreehalle', shape: 'arena', layout: arena('Spreehalle Arena', 'Berlin', 'DE', 'Europe/Berlin') },
  { key: 'summit', shape: 'stadium', layout: stadium('Summit Stadium', 'Austin', 'US', 'America/Chicago') },
] as const;
export type SeedVenueKey = (typeof SEED_VENUES)[number]['key'];
