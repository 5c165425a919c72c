import { and, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { GET as progressRoute, POST as cancelRoute } from '@/app/api/admin/events/[id]/cancel/route';
import { POST as queueRoute } from '@/app/api/events/[id]/queue/route';
import { auditLog, events, holds, orders, payments, refunds, tickets } from '@/db/schema';
import { cancelEvent, resumeEventCancellations } from '@/lib/admin/cancel-event';
import type { CancelProgress } from '@/lib/admin/dashboard-types';
import { payForHold } from '@/lib/checkout/pay-for-hold';
import { holdSeats, RecordingEmailSender, useFakeStripe } from '../support/checkout';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createUser } from '../support/fixtures';
import { statusCounts } from '../support/inventory';
import { call, signUp, signUpAdmin } from '../support/http';

type Person = Awaited<ReturnType<typeof signUp>>;

/** Cancelling an event: the sale stops, every paid order is refunded exactly once, tickets die, repeats are harmless. */
describe('admin: cancel an event', () => {
  const { handle } = useTestDatabase({ maxConnections: 20 });
  const { coordinator } = useTestCoordinator();
  const stripe = useFakeStripe(handle, coordinator, { email: new RecordingEmailSender() });

  const deps = stripe.deps;

  /** An event with `buyers` paid orders of two seats each, and one more buyer holding seats. */
  async function soldEvent(buyers: number) {
    const d = deps();
    const { event } = await createOnSaleEvent(handle().db, {
      rows: 4,
      seatsPerRow: 10,
      event: { feePerTicketMinor: 150 },
    });
    const paid: string[] = [];
    for (let i = 0; i < buyers; i++) {
      const buyer = await createUser(handle().db);
      const hold = await holdSeats(d, event.id, buyer.id, 2, i * 2);
      const result = await payForHold(
        d,
        { ...buyer, role: 'customer' },
        { holdId: hold.id, paymentMethodId: 'pm_card_visa' },
        crypto.randomUUID(),
      );
      expect(result.outcome).toBe('paid');
      paid.push(result.orderId);
    }
    const holder = await createUser(handle().db);
    await holdSeats(d, event.id, holder.id, 2, 30);
    return { event, paid };
  }

  /** Per order: how much the provider refunded, and how many refunds it made. */
  async function providerRefunds(orderIds: string[]) {
    const found = await handle()
      .db.select()
      .from(payments)
      .where(and(inArray(payments.orderId, orderIds), eq(payments.status, 'succeeded')));
    return found.map((p) => ({
      orderId: p.orderId,
      amount: stripe.fake().refundedAmount(p.providerPaymentId!),
      count: [...stripe.fake().refunds.values()].filter((r) => r.payment_intent === p.providerPaymentId).length,
    }));
  }

  async function expectAllRefundedOnce(orderIds: string[]) {
    const db = handle().db;
    const rows = await db.select().from(orders).where(inArray(orders.id, orderIds));
    expect(rows.map((o) => o.status)).toEqual(orderIds.map(() => 'refunded'));
    for (const o of rows) expect(o.refundedMinor).toBe(o.totalMinor);
    const recorded = await db.select().from(refunds).where(inArray(refunds.orderId, orderIds));
    expect(recorded).toHaveLength(orderIds.length);
    expect(recorded.every((r) => r.reason === 'event_cancelled' && r.status === 'succeeded')).toBe(true);
    const byProvider = await providerRefunds(orderIds);
    for (const p of byProvider) {
      expect(p.count).toBe(1);
      expect(p.amount).toBe(rows.find((o) => o.id === p.orderId)!.totalMinor);
    }
    const issued = await db.select().from(tickets).where(inArray(tickets.orderId, orderIds));
    expect(issued).toHaveLength(orderIds.length * 2);
    expect(issued.every((t) => t.status === 'void' && t.voidReason === 'event_cancelled')).toBe(true);
  }

  const cancel = (person: Person, id: string, confirmName: string, key: string | null = crypto.randomUUID()) =>
    call(cancelRoute, {
      method: 'POST',
      url: `/api/admin/events/${id}/cancel`,
      params: { id },
      cookie: person.cookie,
      body: { confirmName },
      headers: key ? { 'idempotency-key': key } : {},
    });

  it('refunds every paid order exactly once, voids the tickets and stops the sale; a second cancel changes nothing', async () => {
    const admin = await signUpAdmin(handle().db);
    const customer = await signUp();
    const { event, paid } = await soldEvent(4);

    // Guarded, confirmed by the name, and keyed.
    expect((await cancel(customer, event.id, event.name)).status).toBe(403);
    expect((await cancel(admin, event.id, 'Some other show')).status).toBe(422);
    expect((await cancel(admin, event.id, event.name, null)).status).toBe(400);
    expect(
      (await handle().db.select({ status: events.status }).from(events).where(eq(events.id, event.id)))[0]!.status,
    ).toBe('published');

    const first = await cancel(admin, event.id, `  ${event.name.toUpperCase()} `);
    expect(first.status).toBe(200);
    expect(first.body as CancelProgress).toMatchObject({
      remaining: 0,
      processed: 4,
      total: 4,
      done: true,
      refunds: { succeeded: 4, pending: 0, failed: 0 },
    });
    await expectAllRefundedOnce(paid);

    // Seats are not sellable: holds are refused, the waiting room is closed.
    const d = deps();
    const late = await createUser(handle().db);
    const counts = await statusCounts(handle(), event.id);
    expect(counts).toMatchObject({ sold: 0, held: 0 });
    // The open hold was ended, so its buyer cannot start paying for a cancelled event.
    const open = await handle()
      .db.select()
      .from(holds)
      .where(and(eq(holds.eventId, event.id), eq(holds.status, 'active')));
    expect(open).toEqual([]);
    await expect(holdSeats(d, event.id, late.id, 1, 0)).rejects.toMatchObject({ code: 'EVENT_NOT_ON_SALE' });
    const joined = await call(queueRoute, {
      method: 'POST',
      url: `/api/events/${event.id}/queue`,
      params: { id: event.id },
      cookie: customer.cookie,
    });
    expect(joined.status).toBe(409);

    // Again, with a new key: nothing more is refunded.
    const refundsBefore = stripe.fake().refunds.size;
    const second = await cancel(admin, event.id, event.name);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ processed: 4, done: true });
    expect(stripe.fake().refunds.size).toBe(refundsBefore);
    await expectAllRefundedOnce(paid);

    const audit = await handle().db.select().from(auditLog).where(eq(auditLog.entityId, event.id));
    expect(
      audit
        .map((a) => a.action)
        .filter((a) => a.startsWith('event.cancel'))
        .sort(),
    ).toEqual(['event.cancel', 'event.cancel.completed']);
    expect(audit.find((a) => a.action === 'event.cancel')).toMatchObject({
      actorId: admin.id,
      before: { status: 'published' },
      after: { status: 'cancelled' },
    });
    expect(
      await handle()
        .db.select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'order.cancel_for_event'), inArray(auditLog.entityId, paid))),
    ).toHaveLength(4);

    const progress = await call(progressRoute, {
      url: `/api/admin/events/${event.id}/cancel`,
      params: { id: event.id },
      cookie: admin.cookie,
    });
    expect(progress.body).toMatchObject({ done: true, total: 4 });
    expect(
      (
        await call(progressRoute, {
          url: `/api/admin/events/${event.id}/cancel`,
          params: { id: event.id },
          cookie: customer.cookie,
        })
      ).status,
    ).toBe(403);
  });

  it('a cancellation that dies part-way (a pass cut short, a refund lost in flight) is resumed by the job, still once per order', async () => {
    const admin = await createUser(handle().db, { role: 'admin' });
    const { event, paid } = await soldEvent(5);

    // The first refund reaches the provider but its answer is lost, and the pass stops after two orders: as if the
    // process died there.
    stripe.fake().failNext(1, { path: '/v1/refunds', afterProcessing: true, status: 500 });
    const cut = await cancelEvent(deps(), admin, event.id, { confirmName: event.name }, { maxOrders: 2 });
    expect(cut).toMatchObject({ remaining: 3, processed: 2, done: false });
    expect(cut.refunds.pending).toBe(1);

    // The background job picks it up.
    expect(await resumeEventCancellations(deps())).toBe(1);
    await expectAllRefundedOnce(paid);
    expect(await resumeEventCancellations(deps())).toBe(0);
  });
});
