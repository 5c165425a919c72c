import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { events, user } from '@/db/schema';
import { stadium } from '@/db/seed/venues';
import { createEvent } from '@/lib/admin/create-event';
import { createVenue } from '@/lib/admin/create-venue';
import { publishEvent } from '@/lib/admin/publish-event';
import type { EventInput } from '@/lib/contracts/admin-event';

let counter = 0;

/** An account without a password (enough for domain tests; the e2e tests sign up through the UI). */
export async function createUser(
  db: Database,
  overrides: Partial<{ role: 'customer' | 'admin' | 'door' | 'box_office'; email: string; name: string }> = {},
) {
  const id = crypto.randomUUID();
  counter++;
  const email = overrides.email ?? `buyer-${counter}-${id.slice(0, 8)}@example.test`;
  await db.insert(user).values({
    id,
    email,
    name: overrides.name ?? `Buyer ${counter}`,
    role: overrides.role ?? 'customer',
    emailVerified: true,
  });
  return { id, email };
}

export async function createUsers(db: Database, n: number) {
  const rows = Array.from({ length: n }, (_, i) => ({
    id: crypto.randomUUID(),
    email: `bulk-${Date.now()}-${i}-${Math.random().toString(36).slice(2)}@example.test`,
    name: `Bulk ${i}`,
    role: 'customer' as const,
    emailVerified: true,
  }));
  for (let i = 0; i < rows.length; i += 1000) await db.insert(user).values(rows.slice(i, i + 1000));
  return rows.map((r) => ({ id: r.id, email: r.email }));
}

/** A published event in a one-section hall of `rows` x `seatsPerRow` seats, on sale since yesterday. */
export async function createOnSaleEvent(
  db: Database,
  options: {
    rows?: number;
    seatsPerRow?: number;
    sections?: number;
    event?: Partial<EventInput>;
    priceMinor?: number;
  } = {},
) {
  const rows = options.rows ?? 5;
  const seatsPerRow = options.seatsPerRow ?? 10;
  const sectionCount = options.sections ?? 1;
  const admin = await createUser(db, { role: 'admin' });
  const venue = await createVenue(
    db,
    {
      name: `Test Hall ${++counter}`,
      city: 'Testville',
      sections: Array.from({ length: sectionCount }, (_, s) => ({
        label: `S${s + 1}`,
        name: `Section ${s + 1}`,
        origin: { x: s * 400, y: 0 },
        rows: Array.from({ length: rows }, (_, r) => ({ label: `R${r + 1}`, seats: seatsPerRow })),
      })),
    },
    admin.id,
  );
  const now = Date.now();
  const { id } = await createEvent(
    db,
    {
      name: `Test Event ${counter}`,
      performer: 'The Testers',
      category: 'concert',
      venueId: venue.id,
      startsAt: new Date(now + 30 * 86_400_000),
      onSaleAt: new Date(now - 86_400_000),
      tiers: [{ name: 'Standard', priceMinor: options.priceMinor ?? 5000 }],
      assignments: Array.from({ length: sectionCount }, (_, s) => ({ tier: 'Standard', sectionLabel: `S${s + 1}` })),
      ...options.event,
    },
    admin.id,
  );
  await publishEvent(db, id, admin.id);
  const [event] = await db.select().from(events).where(eq(events.id, id));
  return { event: event!, admin, venueId: venue.id };
}

/**
 * The demo's 50,800-seat stadium as a new venue, and `publish` to put an event on sale in it: one 'Any' tier over every
 * section, on sale since a minute ago, starting in 30 days (the benchmarks and the big-layout tests).
 */
export async function createStadium(db: Database) {
  const admin = await createUser(db, { role: 'admin' });
  const layout = stadium('Test Stadium', 'Austin', 'US', 'America/Chicago');
  const venue = await createVenue(db, layout, admin.id);
  const assignments = layout.sections.map((s) => ({ tier: 'Any', sectionLabel: s.label }));
  const publish = async (event: Partial<EventInput> & Pick<EventInput, 'name' | 'performer'>): Promise<string> => {
    const { id } = await createEvent(
      db,
      {
        category: 'sports',
        venueId: venue.id,
        startsAt: new Date(Date.now() + 30 * 86_400_000),
        onSaleAt: new Date(Date.now() - 60_000),
        tiers: [{ name: 'Any', priceMinor: 5000 }],
        assignments,
        ...event,
      },
      admin.id,
    );
    await publishEvent(db, id, admin.id);
    return id;
  };
  return { admin, layout, publish };
}
