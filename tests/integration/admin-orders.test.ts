import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { GET as searchRoute } from '@/app/api/admin/orders/route';
import { GET as deskOrderRoute } from '@/app/api/admin/orders/[id]/route';
import { POST as deskCancelRoute } from '@/app/api/admin/orders/[id]/cancel/route';
import { POST as deskRefundRoute } from '@/app/api/admin/orders/[id]/refund/route';
import { POST as resendRoute } from '@/app/api/admin/orders/[id]/resend/route';
import { auditLog, emailOutbox, orders, payments, refunds, tickets } from '@/db/schema';
import type { DeskOrder, DeskOrderRow, ResendResult } from '@/lib/admin/orders-desk-contract';
import { cancelOrder } from '@/lib/checkout/cancel-order';
import { getOrderForViewer } from '@/lib/checkout/get-order-for-viewer';
import { payForHold } from '@/lib/checkout/pay-for-hold';
import type { CancelResult } from '@/lib/contracts/checkout';
import { placeHold } from '@/lib/inventory';
import { holdSeats, RecordingEmailSender, seatStatuses, useFakeStripe } from '../support/checkout';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createUser } from '../support/fixtures';
import { call, signUp, signUpAdmin } from '../support/http';

type Person = Awaited<ReturnType<typeof signUp>>;

/** The orders desk through its HTTP handlers: search, a full refund, cancel under the policy, resend; who may. */
describe('admin orders desk', () => {
  const { handle } = useTestDatabase({ maxConnections: 20 });
  const { coordinator } = useTestCoordinator();
  const email = new RecordingEmailSender();
  const stripe = useFakeStripe(handle, coordinator, { email });

  const deps = stripe.deps;

  /** A buyer with a name and an email pays for two seats of a fresh event. */
  async function sale(buyerName = 'Margarethe Okonkwo-Lindqvist') {
    const d = deps();
    const { event } = await createOnSaleEvent(handle().db, { rows: 2, seatsPerRow: 5 });
    const buyer = await createUser(handle().db, {
      name: buyerName,
      email: `m.okonkwo+${crypto.randomUUID().slice(0, 6)}@example.test`,
    });
    const hold = await holdSeats(d, event.id, buyer.id, 2);
    const paid = await payForHold(
      d,
      { ...buyer, role: 'customer' },
      { holdId: hold.id, paymentMethodId: 'pm_card_visa' },
      crypto.randomUUID(),
    );
    expect(paid.outcome).toBe('paid');
    const [order] = await handle().db.select().from(orders).where(eq(orders.id, paid.orderId));
    return { event, buyer, hold, order: order! };
  }
  const search = (person: Person, q: string) =>
    call(searchRoute, { url: `/api/admin/orders?q=${encodeURIComponent(q)}`, cookie: person.cookie });
  const post = (handler: typeof deskRefundRoute, person: Person, id: string, action: string, key?: string) =>
    call(handler, {
      method: 'POST',
      url: `/api/admin/orders/${id}/${action}`,
      params: { id },
      cookie: person.cookie,
      headers: key ? { 'idempotency-key': key } : {},
    });

  it('finds an order by its reference, part of the email, or the buyer’s name', async () => {
    const admin = await signUpAdmin(handle().db);
    const { order, buyer } = await sale();
    await sale('Somebody Else');

    const ids = (r: { status: number; body: unknown }) => {
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return (r.body as { orders: DeskOrderRow[] }).orders.map((o) => o.id);
    };
    expect(ids(await search(admin, order.reference))).toEqual([order.id]);
    expect(ids(await search(admin, order.reference.toLowerCase().slice(0, 7)))).toContain(order.id);
    expect(ids(await search(admin, buyer.email.split('@')[0]!.slice(0, 12)))).toContain(order.id);
    expect(ids(await search(admin, 'okonkwo-lind'))).toEqual([order.id]);
    const byName = (await search(admin, 'Margarethe')).body as { orders: DeskOrderRow[] };
    expect(byName.orders[0]).toMatchObject({
      reference: order.reference,
      buyerName: 'Margarethe Okonkwo-Lindqvist',
      status: 'paid',
      ticketCount: 2,
    });

    expect(ids(await search(admin, 'nobody-by-this-name'))).toEqual([]);
    // LIKE wildcards are literal: '%%' matches nothing rather than everything.
    expect(ids(await search(admin, '%%'))).toEqual([]);
    expect((await search(admin, 'a')).status).toBe(422);
    // Without a query: the latest orders, as the desk shows before anything is typed.
    const latest = await call(searchRoute, { url: '/api/admin/orders', cookie: admin.cookie });
    expect(ids(latest)).toContain(order.id);
  });

  it('refunds in full through the buyers’ path exactly once per order, and the seats go back on sale', async () => {
    const admin = await signUpAdmin(handle().db);
    const { order, event, hold } = await sale();
    // Two days before the start the policy would refund nothing; the desk's full refund does not ask the policy.
    await handle().db.execute(
      sql`update events set refund_policy = '[{"hoursBefore": 1000, "percent": 0}]'::jsonb where id = ${event.id}`,
    );

    expect((await post(deskRefundRoute, admin, order.id, 'refund')).status).toBe(400);
    const key = crypto.randomUUID();
    const first = await post(deskRefundRoute, admin, order.id, 'refund', key);
    expect(first.status).toBe(200);
    const result = first.body as CancelResult;
    expect(result).toMatchObject({
      orderId: order.id,
      status: 'refunded',
      refund: { amountMinor: order.totalMinor, reason: 'admin', status: 'succeeded' },
    });

    // The same key answers the same; a new key on a settled order changes nothing.
    const replay = await post(deskRefundRoute, admin, order.id, 'refund', key);
    expect(replay.body).toEqual(first.body);
    expect((await post(deskRefundRoute, admin, order.id, 'refund', crypto.randomUUID())).status).toBe(200);
    expect((await post(deskCancelRoute, admin, order.id, 'cancel', crypto.randomUUID())).status).toBe(200);

    const db = handle().db;
    const recorded = await db.select().from(refunds).where(eq(refunds.orderId, order.id));
    expect(recorded).toHaveLength(1);
    const [payment] = await db.select().from(payments).where(eq(payments.orderId, order.id));
    expect(stripe.fake().refundedAmount(payment!.providerPaymentId!)).toBe(order.totalMinor);
    expect((await db.select().from(tickets).where(eq(tickets.orderId, order.id))).map((t) => t.status)).toEqual([
      'void',
      'void',
    ]);
    expect(await seatStatuses(handle(), hold.seatIds)).toEqual(['available', 'available']);
    const audit = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, order.id), eq(auditLog.action, 'order.refund_full')));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: admin.id, before: { status: 'paid' }, after: { status: 'cancelled' } });

    // Back on sale: another buyer can hold exactly those seats.
    const other = await createUser(db);
    await expect(
      placeHold(deps(), { eventId: event.id, userId: other.id, seatIds: hold.seatIds }),
    ).resolves.toMatchObject({ status: 'active' });

    const detail = await call(deskOrderRoute, {
      url: `/api/admin/orders/${order.id}`,
      params: { id: order.id },
      cookie: admin.cookie,
    });
    expect(detail.body as DeskOrder).toMatchObject({
      status: 'refunded',
      refundedMinor: order.totalMinor,
      refundable: false,
      audit: [{ action: 'order.refund_full', actorEmail: admin.email }],
    });
  });

  it('cancels under the event’s policy when asked to cancel rather than refund', async () => {
    const admin = await signUpAdmin(handle().db);
    const { order, event } = await sale();
    await handle().db.execute(
      sql`update events set refund_policy = '[{"hoursBefore": 1, "percent": 50}]'::jsonb where id = ${event.id}`,
    );
    const cancelled = await post(deskCancelRoute, admin, order.id, 'cancel', crypto.randomUUID());
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      status: 'refunded',
      refund: { amountMinor: Math.round(order.totalMinor / 2), reason: 'requested_by_customer' },
    });
  });

  it('tells the buyer the organizer cancelled, whether the desk refunded in full or under the policy; a buyer’s own cancel stays theirs', async () => {
    const admin = await signUpAdmin(handle().db);
    const whoCancelled = async (order: { id: string; userId: string }) =>
      (await getOrderForViewer(handle().db, order.id, { id: order.userId, role: 'customer' })).cancelledBy;
    const refunded = (await sale()).order;
    expect((await post(deskRefundRoute, admin, refunded.id, 'refund', crypto.randomUUID())).status).toBe(200);
    expect(await whoCancelled(refunded)).toBe('organizer');
    const cancelled = (await sale()).order;
    expect((await post(deskCancelRoute, admin, cancelled.id, 'cancel', crypto.randomUUID())).status).toBe(200);
    expect(await whoCancelled(cancelled)).toBe('organizer');
    const own = (await sale()).order;
    await cancelOrder(deps(), { id: own.userId, role: 'customer' }, own.id);
    expect(await whoCancelled(own)).toBe('buyer');
  });

  it('resends the confirmation through the outbox, audited; only for paid orders', async () => {
    const admin = await signUpAdmin(handle().db);
    const { order, buyer } = await sale();
    const before = email.sent.length;
    const sent = await post(resendRoute, admin, order.id, 'resend');
    expect(sent.status).toBe(202);
    const result = sent.body as ResendResult;
    expect(result).toMatchObject({ orderId: order.id, toEmail: buyer.email, sent: true });

    const confirmations = await handle()
      .db.select()
      .from(emailOutbox)
      .where(and(eq(emailOutbox.orderId, order.id), eq(emailOutbox.kind, 'order_confirmation')));
    expect(confirmations).toHaveLength(2);
    expect(confirmations.find((c) => c.id === result.emailId)?.sentAt).toBeInstanceOf(Date);
    const delivered = email.sent.slice(before).filter((m) => m.id === result.emailId);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ to: buyer.email, kind: 'order_confirmation' });
    expect(delivered[0]!.subject).toContain(order.reference);
    expect(
      await handle()
        .db.select()
        .from(auditLog)
        .where(and(eq(auditLog.entityId, order.id), eq(auditLog.action, 'order.resend_confirmation'))),
    ).toHaveLength(1);

    await post(deskRefundRoute, admin, order.id, 'refund', crypto.randomUUID());
    expect((await post(resendRoute, admin, order.id, 'resend')).status).toBe(409);
  });

  it('answers 401 signed out and 403 to a customer on every desk route, and changes nothing', async () => {
    const { order } = await sale();
    const customer = await signUp();
    const anonymous = { ...customer, cookie: '' };
    for (const [person, status] of [
      [anonymous, 401],
      [customer, 403],
    ] as const) {
      expect((await search(person, order.reference)).status).toBe(status);
      expect(
        (
          await call(deskOrderRoute, {
            url: `/api/admin/orders/${order.id}`,
            params: { id: order.id },
            cookie: person.cookie,
          })
        ).status,
      ).toBe(status);
      expect((await post(deskRefundRoute, person, order.id, 'refund', crypto.randomUUID())).status).toBe(status);
      expect((await post(deskCancelRoute, person, order.id, 'cancel', crypto.randomUUID())).status).toBe(status);
      expect((await post(resendRoute, person, order.id, 'resend')).status).toBe(status);
    }
    const [after] = await handle().db.select().from(orders).where(eq(orders.id, order.id));
    expect(after!.status).toBe('paid');
    expect(await handle().db.select().from(refunds).where(eq(refunds.orderId, order.id))).toHaveLength(0);
  });
});
