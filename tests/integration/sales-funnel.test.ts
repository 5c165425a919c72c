import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { GET as funnelRoute } from '@/app/api/admin/events/[id]/funnel/route';
import { user } from '@/db/schema';
import { rows } from '@/db/sql';
import { funnelBucket } from '@/lib/analytics/event-funnel';
import { countFunnelStep, flushFunnelCounts } from '@/lib/analytics/funnel-counts';
import { payForHold } from '@/lib/checkout/pay-for-hold';
import type { EventFunnel } from '@/lib/contracts/funnel';
import { releaseHold, sweepExpiredHolds } from '@/lib/inventory';
import { admitted, holdSeats, useFakeStripe } from '../support/checkout';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createUser } from '../support/fixtures';
import { call, signUp, signUpAdmin } from '../support/http';

/**
 * Issue 20, item 4: a scripted sale whose every step is known, and the funnel the organizer sees must match it, as
 * JSON and as CSV; page views and waiting-room joins counted in memory reach PostgreSQL only through the flush.
 */
describe('the sales funnel', () => {
  const { handle } = useTestDatabase({ maxConnections: 10 });
  const { coordinator } = useTestCoordinator();
  const stripe = useFakeStripe(handle, coordinator, { appPays: false });

  it('counts a scripted sale step by step, with holds that ended unpaid by reason, as JSON and CSV', async () => {
    const db = handle().db;
    const admin = await signUpAdmin(db);
    const deps = stripe.deps();
    const { event } = await createOnSaleEvent(db, { rows: 2, seatsPerRow: 6 });
    const funnel = async (format?: 'csv') => {
      const r = await call(funnelRoute, {
        url: `/api/admin/events/${event.id}/funnel${format ? '?format=csv' : ''}`,
        params: { id: event.id },
        cookie: admin.cookie,
      });
      expect(r.status).toBe(200);
      return r;
    };
    const empty = (await funnel()).body as EventFunnel;
    expect(empty.totals).toEqual({ pageViews: 0, queueJoins: 0, admissions: 0, holds: 0, checkouts: 0, paid: 0 });
    expect(empty.rates[1]).toEqual({ step: 'queueJoins', ofPrevious: null, ofFirst: null });

    // Ten page views; four buyers join the waiting room (one of them twice: one join), a quiet event admits them.
    for (let i = 0; i < 10; i++) countFunnelStep(event.id, 'pageViews');
    countFunnelStep('not-an-event', 'pageViews');
    const buyers = await Promise.all([0, 1, 2, 3].map(() => signUp()));
    for (const buyer of buyers) await admitted(buyer, event.id);
    await admitted(buyers[0]!, event.id);
    expect(await flushFunnelCounts(db)).toBeGreaterThan(0);
    expect(await flushFunnelCounts(db)).toBe(0); // nothing twice

    // Four holds: one paid, one declined and then released, one released, one that expires.
    const [paidBy, declinedBy, releasedBy, expiredBy] = buyers.map((b) => ({ ...b, role: 'customer' as const }));
    const paidHold = await holdSeats(deps, event.id, paidBy!.id, 2, 0);
    const declinedHold = await holdSeats(deps, event.id, declinedBy!.id, 2, 2);
    const releasedHold = await holdSeats(deps, event.id, releasedBy!.id, 1, 4);
    const expiredHold = await holdSeats(deps, event.id, expiredBy!.id, 1, 5);
    expect(
      (await payForHold(deps, paidBy!, { holdId: paidHold.id, paymentMethodId: 'pm_card_visa' }, crypto.randomUUID()))
        .outcome,
    ).toBe('paid');
    await expect(
      payForHold(
        deps,
        declinedBy!,
        { holdId: declinedHold.id, paymentMethodId: 'pm_card_chargeDeclined' },
        crypto.randomUUID(),
      ),
    ).rejects.toMatchObject({ code: 'PAYMENT_DECLINED' });
    await releaseHold(deps, declinedHold.id, declinedBy!.id);
    await releaseHold(deps, releasedHold.id, releasedBy!.id);
    await sweepExpiredHolds({ ...deps, now: () => new Date(new Date(expiredHold.expiresAt).getTime() + 1_000) });

    const f = (await funnel()).body as EventFunnel;
    expect(f.totals).toEqual({ pageViews: 10, queueJoins: 4, admissions: 4, holds: 4, checkouts: 2, paid: 1 });
    expect(f.abandoned).toEqual({ expired: 1, released: 1, declined: 1 });
    expect(f.activeHolds).toBe(0);
    expect(f.rates.find((r) => r.step === 'holds')).toEqual({ step: 'holds', ofPrevious: 1, ofFirst: 0.4 });
    expect(f.rates.find((r) => r.step === 'paid')).toEqual({ step: 'paid', ofPrevious: 0.5, ofFirst: 0.1 });
    expect(f.bucket).toBe('minute');
    const summed = f.series.reduce((n, p) => n + p.pageViews + p.holds + p.paid, 0);
    expect(summed).toBe(15);

    // The box office's holds are not buyers arriving: a counter hold leaves the online funnel as it was.
    const staff = await createUser(db);
    await db.update(user).set({ role: 'box_office' }).where(eq(user.id, staff.id));
    await holdSeats(deps, event.id, staff.id, 1, 6);
    expect(((await funnel()).body as EventFunnel).totals).toEqual(f.totals);

    // The CSV: a header, the same intervals, and totals that match.
    const csv = await funnel('csv');
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="funnel-/);
    const lines = (csv.body as string).trim().split('\r\n');
    expect(lines[0]).toBe(
      'interval_start,page_views,waiting_room_joins,admissions,holds,checkouts_started,paid_orders,holds_expired,holds_released,holds_declined',
    );
    expect(lines).toHaveLength(f.series.length + 2);
    expect(lines.at(-1)).toBe('total,10,4,4,4,2,1,1,1,1');

    // What the flush wrote is all there is: no counts for an event that does not exist.
    const stray = await rows<{ n: number }>(
      db,
      sql`select count(*)::int as n from funnel_counts where event_id <> ${event.id}`,
    );
    expect(stray[0]!.n).toBe(0);
  });

  it('answers only organizers, 404 for an unknown event, 422 for an unknown format', async () => {
    const db = handle().db;
    const { event } = await createOnSaleEvent(db, { rows: 1, seatsPerRow: 2 });
    const admin = await signUpAdmin(db);
    const buyer = await signUp();
    const ask = (cookie: string | undefined, id = event.id, query = '') =>
      call(funnelRoute, { url: `/api/admin/events/${id}/funnel${query}`, params: { id }, cookie });
    expect((await ask(undefined)).status).toBe(401);
    expect((await ask(buyer.cookie)).status).toBe(403);
    expect((await ask(admin.cookie, crypto.randomUUID())).status).toBe(404);
    expect((await ask(admin.cookie, 'not-a-uuid')).status).toBe(404);
    expect((await ask(admin.cookie, event.id, '?format=xlsx')).status).toBe(422);
  });

  it('draws the chart per minute for a short sale, per hour for a week, per day beyond', () => {
    expect(funnelBucket(90 * 60_000)).toBe('minute');
    expect(funnelBucket(3 * 86_400_000)).toBe('hour');
    expect(funnelBucket(30 * 86_400_000)).toBe('day');
  });
});
