import { asc, eq } from 'drizzle-orm';
import { hashPassword } from 'better-auth/crypto';
import type { DatabaseHandle } from '@/db/client';
import { account, events, gates, priceTiers, user } from '@/db/schema';
import { createEvent } from '@/lib/admin/create-event';
import { createDiscountCode } from '@/lib/admin/discount-codes';
import { createVenue } from '@/lib/admin/create-venue';
import { publishEvent } from '@/lib/admin/publish-event';
import { createAccessCode, createPresale, setTierHidden } from '@/lib/presale/manage-presales';
import { seedEvents } from './events';
import { sellOutWithWaitlist, SOLD_OUT_BUYERS, WAITLIST_PARTIES } from './sold-out';
import { SEED_VENUES, type SeedVenueKey } from './venues';

export const DEMO_ACCOUNTS = {
  admin: { email: 'admin@admitone.test', password: 'admitone-admin', name: 'Ada Organizer', role: 'admin' as const },
  buyer: { email: 'buyer@admitone.test', password: 'admitone-buyer', name: 'Bea Buyer', role: 'customer' as const },
  /** Scans tickets at /scan, at any gate of any event: the demo events each have two gates. */
  door: { email: 'door@admitone.test', password: 'admitone-door', name: 'Dee Doorkeeper', role: 'door' as const },
  boxOffice: {
    email: 'boxoffice@admitone.test',
    password: 'admitone-boxoffice',
    name: 'Bo Counter',
    role: 'box_office' as const,
  },
};

/** The gates every published demo event has, so door staff can scan at once. */
const DEMO_GATES = ['Main entrance', 'Side door'];

/** Creates an account with a password the way better-auth stores it (scrypt hash in the credential account). */
export async function createAccount(
  handle: DatabaseHandle,
  a: { email: string; password: string; name: string; role: 'admin' | 'customer' | 'door' | 'box_office' },
): Promise<string> {
  const id = crypto.randomUUID();
  await handle.db.transaction(async (tx) => {
    await tx.insert(user).values({ id, email: a.email, name: a.name, role: a.role, emailVerified: true });
    await tx.insert(account).values({
      id: crypto.randomUUID(),
      accountId: id,
      providerId: 'credential',
      userId: id,
      password: await hashPassword(a.password),
    });
  });
  return id;
}

export type SeedReport = { skipped: boolean; venues: number; events: number; seats: number; ms: number };

/** Seeds demo accounts, venues and events once; a database that already has the admin account is left alone. */
export async function seed(
  handle: DatabaseHandle,
  options: {
    now?: Date;
    log?: (line: string) => void;
    /** After the accounts, and after each event: how far it got. */ progress?: (events: number, total: number) => void;
  } = {},
): Promise<SeedReport> {
  const started = Date.now();
  const say = options.log ?? (() => {});
  const [existing] = await handle.db
    .select({ id: user.id })
    .from(user)
    .where(eq(user.email, DEMO_ACCOUNTS.admin.email));
  if (existing) return { skipped: true, venues: 0, events: 0, seats: 0, ms: Date.now() - started };

  const list = seedEvents(options.now ?? new Date());
  const adminId = await createAccount(handle, DEMO_ACCOUNTS.admin);
  await createAccount(handle, DEMO_ACCOUNTS.buyer);
  await createAccount(handle, DEMO_ACCOUNTS.door);
  await createAccount(handle, DEMO_ACCOUNTS.boxOffice);
  options.progress?.(0, list.length);

  // Small venues first, each created just before its first event: when the server seeds in the background, the
  // soonest theatre and arena events (the home page's) appear within seconds, and the stadium's 50,800-seat
  // transactions, which hold the embedded database's one connection longest, come last.
  const venueIds = new Map<SeedVenueKey, string>();
  const venueOf = async (key: SeedVenueKey): Promise<string> => {
    const known = venueIds.get(key);
    if (known) return known;
    const venue = SEED_VENUES.find((v) => v.key === key)!;
    const { id, seatCount } = await createVenue(handle.db, venue.layout, adminId);
    venueIds.set(key, id);
    say(`  venue ${venue.layout.name} (${venue.shape}, ${seatCount.toLocaleString('en')} seats)`);
    return id;
  };
  const order = SEED_VENUES.map((v) => v.key);
  const byVenueSize = [...list].sort((a, b) => order.indexOf(a.venue) - order.indexOf(b.venue));

  // The sold-out event's buyers and waitlist, never the demo buyer: they can try joining the waitlist themselves.
  const clock = options.now ? () => options.now! : () => new Date();
  const soldTo = await Promise.all(
    SOLD_OUT_BUYERS.map(async (a) => ({ id: await createAccount(handle, a), email: a.email })),
  );
  const waiting = await Promise.all(
    WAITLIST_PARTIES.map(async (p) => ({ ...p, userId: await createAccount(handle, p.account) })),
  );

  let seats = 0;
  let discounted = false;
  for (const [i, item] of byVenueSize.entries()) {
    const { id } = await createEvent(handle.db, { ...item.input, venueId: await venueOf(item.venue) }, adminId);
    if (item.publish) {
      seats += (await publishEvent(handle.db, id, adminId)).seats;
      await handle.db.insert(gates).values(DEMO_GATES.map((name) => ({ eventId: id, name })));
    }
    if (item.soldOut && item.publish) {
      const began = Date.now();
      const sold = await sellOutWithWaitlist(handle, { eventId: id, buyers: soldTo, waiting, now: clock });
      say(
        `  ${item.input.name}: sold out (${sold.seats} seats in ${sold.orders} orders), ${sold.waiting} parties on its waitlist (${Date.now() - began} ms)`,
      );
    }
    // The demo's discount code: 10% off one order per account on the first Berlin event.
    if (item.venue === 'spreehalle' && item.publish && !discounted) {
      discounted = true;
      await createDiscountCode(
        handle.db,
        id,
        { code: 'WELCOME10', kind: 'percent', value: 1000, scope: 'order', perAccountLimit: 1 },
        adminId,
      );
    }
    if (item.presale) await seedPresale(handle, id, item.presale.code, adminId, options.now ?? new Date());
    options.progress?.(i + 1, list.length);
    if ((i + 1) % 16 === 0) say(`  ${i + 1} of ${list.length} events`);
  }
  return {
    skipped: false,
    venues: venueIds.size,
    events: await handle.db.$count(events),
    seats,
    ms: Date.now() - started,
  };
}

/** A presale open from an hour ago until the event's on-sale, whose code also unlocks the event's first tier, hidden. */
async function seedPresale(handle: DatabaseHandle, eventId: string, code: string, adminId: string, now: Date) {
  const [event] = await handle.db.select({ onSaleAt: events.onSaleAt }).from(events).where(eq(events.id, eventId));
  const [tier] = await handle.db
    .select({ id: priceTiers.id })
    .from(priceTiers)
    .where(eq(priceTiers.eventId, eventId))
    .orderBy(asc(priceTiers.sortOrder));
  await setTierHidden(handle.db, { eventId, tierId: tier!.id, hidden: true }, adminId);
  const presale = await createPresale(
    handle.db,
    {
      eventId,
      name: 'Fan club presale',
      startsAt: new Date(now.getTime() - 3_600_000),
      endsAt: event!.onSaleAt,
      admissionRatePerMinute: 60,
    },
    adminId,
  );
  await createAccessCode(
    handle.db,
    { eventId, code, presaleId: presale.id, unlocksTierIds: [tier!.id], maxUses: 500, perAccountLimit: 4 },
    adminId,
  );
}
