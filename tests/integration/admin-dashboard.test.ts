import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { GET as statsRoute } from '@/app/api/admin/events/[id]/stats/route';
import { orders } from '@/db/schema';
import { listEventsOverview } from '@/lib/admin/dashboard-overview';
import type { EventDashboard } from '@/lib/admin/dashboard-types';
import { payForHold } from '@/lib/checkout/pay-for-hold';
import { holdSeats, RecordingEmailSender, useFakeStripe } from '../support/checkout';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createUser } from '../support/fixtures';
import { call, signUp, signUpAdmin } from '../support/http';
import { statusCounts } from '../support/inventory';

/** The dashboard's figures against what PostgreSQL holds, after holds, a conflict and a sale. */
describe('admin dashboard stats', () => {
  const { handle } = useTestDatabase({ maxConnections: 20 });
  const { coordinator } = useTestCoordinator();
  const stripe = useFakeStripe(handle, coordinator, { appPays: false, email: new RecordingEmailSender() });

  it('counts seats, money, sales over time and hold outcomes as the database has them', async () => {
    const db = handle().db;
    const admin = await signUpAdmin(db);
    const deps = stripe.deps();
    const { event } = await createOnSaleEvent(db, {
      rows: 2,
      seatsPerRow: 5,
      priceMinor: 4200,
      event: { feePerTicketMinor: 300 },
    });
    const stats = async () => {
      const r = await call(statsRoute, {
        url: `/api/admin/events/${event.id}/stats`,
        params: { id: event.id },
        cookie: admin.cookie,
      });
      expect(r.status).toBe(200);
      return r.body as EventDashboard;
    };

    const empty = await stats();
    expect(empty.seats).toEqual({ available: 10, held: 0, sold: 0, blocked: 0, total: 10 });
    expect(empty.revenue).toMatchObject({ kept: { netMinor: 0, taxMinor: 0, grossMinor: 0 }, ticketsSold: 0 });
    expect(empty.sales.points).toEqual([]);
    expect(empty.queue).toMatchObject({ phase: 'on-sale', reachable: true, waiting: 0 });

    // Alice holds two seats; Bob holds three and pays; Carol asks for one of Alice's and is refused.
    const alice = await createUser(db);
    const bob = { ...(await createUser(db)), role: 'customer' as const };
    const carol = await createUser(db);
    const aliceHold = await holdSeats(deps, event.id, alice.id, 2, 0);
    const bobHold = await holdSeats(deps, event.id, bob.id, 3, 2);
    await expect(holdSeats(deps, event.id, carol.id, 1, 1)).rejects.toMatchObject({ code: 'SEATS_UNAVAILABLE' });
    const paid = await payForHold(
      deps,
      bob,
      { holdId: bobHold.id, paymentMethodId: 'pm_card_visa' },
      crypto.randomUUID(),
    );
    expect(paid.outcome).toBe('paid');

    const after = await stats();
    const truth = await statusCounts(handle(), event.id);
    expect(after.seats).toEqual({ ...truth, total: 10 });
    expect(after.seats).toMatchObject({ available: 5, held: 2, sold: 3 });

    const [order] = await db.select().from(orders).where(eq(orders.id, paid.orderId));
    expect(order!.totalMinor).toBe(3 * (4200 + 300));
    // No tax on this event: net and gross are the same.
    const all = { netMinor: order!.totalMinor, taxMinor: 0, grossMinor: order!.totalMinor };
    expect(after.revenue).toEqual({
      currency: 'USD',
      taxes: [],
      sold: all,
      refunded: { netMinor: 0, taxMinor: 0, grossMinor: 0 },
      kept: all,
      paidOrders: 1,
      ticketsSold: 3,
    });
    expect(after.sales.points).toHaveLength(1);
    expect(after.sales.points[0]).toMatchObject({
      tickets: 3,
      revenueMinor: order!.totalMinor,
      cumulativeTickets: 3,
      cumulativeRevenueMinor: order!.totalMinor,
    });

    expect(after.holds).toMatchObject({
      windowMinutes: 15,
      placed: 2,
      active: 1,
      converted: 1,
      expired: 0,
      released: 0,
      requests: { granted: 2, conflicts: 1, refused: 0 },
    });
    expect(after.holds.successRate).toBeCloseTo(2 / 3);
    expect(after.holds.conflictRate).toBeCloseTo(1 / 3);
    expect(after.event).toMatchObject({ id: event.id, name: event.name, status: 'published' });

    // A hold whose time ran out counts as available at once, as it does for the next buyer.
    await db.execute(
      sql`update event_seats set rev = rev + 1, held_until = now() - interval '1 second' where hold_id = ${aliceHold.id}`,
    );
    expect((await stats()).seats).toMatchObject({ available: 7, held: 0, sold: 3 });

    // The overview shows the same figures.
    const overview = await listEventsOverview({ db, queue: coordinator().queue, now: () => new Date() });
    const row = overview.find((e) => e.id === event.id)!;
    expect(row.seats).toMatchObject({ available: 7, held: 0, sold: 3, total: 10 });
    expect(row.revenue).toEqual({ currency: 'USD', kept: all, ticketsSold: 3 });
    expect(row.queue).toMatchObject({ phase: 'on-sale', reachable: true, waiting: 0 });
  });

  it('is for organizers only, and unknown events are 404', async () => {
    const { event } = await createOnSaleEvent(handle().db);
    const customer = await signUp();
    const admin = await signUpAdmin(handle().db);
    const get = (cookie: string, id = event.id) =>
      call(statsRoute, { url: `/api/admin/events/${id}/stats`, params: { id }, cookie });
    expect((await get('')).status).toBe(401);
    expect((await get(customer.cookie)).status).toBe(403);
    expect((await get(admin.cookie, crypto.randomUUID())).status).toBe(404);
    expect((await get(admin.cookie, 'not-a-uuid')).status).toBe(404);
  });
});
