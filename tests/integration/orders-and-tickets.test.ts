import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { POST as checkoutRoute } from '@/app/api/checkout/route';
import { GET as holdRoute } from '@/app/api/holds/[id]/route';
import { GET as listOrdersRoute } from '@/app/api/orders/route';
import { GET as orderRoute } from '@/app/api/orders/[id]/route';
import { POST as cancelRoute } from '@/app/api/orders/[id]/cancel/route';
import { GET as ticketRoute } from '@/app/api/tickets/[id]/route';
import { POST as deviceKeyRoute } from '@/app/api/tickets/[id]/device-key/route';
import { POST as transferRoute } from '@/app/api/tickets/[id]/transfer/route';
import { GET as scannerRoute } from '@/app/api/tickets/scanner/route';
import { POST as verifyRoute } from '@/app/api/tickets/verify/route';
import type {
  CancelResult,
  CheckoutResult,
  OrderDetails,
  OrderListItem,
  ScannerBundle,
  TicketDetails,
} from '@/lib/contracts/checkout';
import { checkTicketCode } from '@/lib/tickets/check-ticket-code';
import { claimTransfer } from '@/lib/tickets/claim-transfer';
import { verifyTicketCode } from '@/lib/tickets/ticket-code';
import { admitted, countRows, holdSeats, seatStatuses, useFakeStripe } from '../support/checkout';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent } from '../support/fixtures';
import { call, signUp, signUpAdmin } from '../support/http';
import { claimTokenSentTo } from '../support/transfers';
import { payThroughRoute } from '../support/pay';

type Person = Awaited<ReturnType<typeof signUp>>;

/** Orders, cancellation, transfer and who may see what, through the HTTP handlers, paying through the fake Stripe. */
describe('orders and tickets', () => {
  const { handle } = useTestDatabase({ maxConnections: 20 });
  const { coordinator } = useTestCoordinator();
  const stripe = useFakeStripe(handle, coordinator);

  async function buy(person: Person, options: { startsInHours?: number; seats?: number } = {}) {
    const deps = stripe.deps();
    const startsAt = new Date(Date.now() + (options.startsInHours ?? 30 * 24) * 3_600_000);
    const { event } = await createOnSaleEvent(handle().db, { rows: 2, seatsPerRow: 5, event: { startsAt } });
    const hold = await holdSeats(deps, event.id, person.id, options.seats ?? 2);
    const paid = await payThroughRoute(await admitted(person, event.id), hold.id);
    expect(paid.status).toBe(201);
    return { event, hold, order: paid.body as CheckoutResult };
  }
  const getOrder = (person: Person, id: string) =>
    call(orderRoute, { url: `/api/orders/${id}`, params: { id }, cookie: person.cookie });
  const getTicket = (person: Person, id: string) =>
    call(ticketRoute, { url: `/api/tickets/${id}`, params: { id }, cookie: person.cookie });
  const cancel = (person: Person, id: string) =>
    call(cancelRoute, { method: 'POST', url: `/api/orders/${id}/cancel`, params: { id }, cookie: person.cookie });
  const transfer = (person: Person, id: string, email: string) =>
    call(transferRoute, {
      method: 'POST',
      url: `/api/tickets/${id}/transfer`,
      params: { id },
      cookie: person.cookie,
      body: { email },
    });

  it('checks the request before anything happens: sign-in, Idempotency-Key, body', async () => {
    const alice = await signUp();
    const noCookie = await call(checkoutRoute, {
      method: 'POST',
      url: '/api/checkout',
      headers: { 'idempotency-key': crypto.randomUUID() },
      body: {},
    });
    expect(noCookie.status).toBe(401);
    const noKey = await call(checkoutRoute, {
      method: 'POST',
      url: '/api/checkout',
      cookie: alice.cookie,
      body: { holdId: crypto.randomUUID(), paymentMethodId: 'pm_card_visa' },
    });
    expect(noKey).toMatchObject({ status: 400, body: { code: 'IDEMPOTENCY_KEY_REQUIRED' } });
    const badKey = await call(checkoutRoute, {
      method: 'POST',
      url: '/api/checkout',
      cookie: alice.cookie,
      headers: { 'idempotency-key': 'short' },
      body: {},
    });
    expect(badKey).toMatchObject({ status: 422, body: { code: 'VALIDATION_FAILED' } });
    for (const body of [
      {},
      { holdId: 'nope', paymentMethodId: 'pm_card_visa' },
      { holdId: crypto.randomUUID(), paymentMethodId: 'card 4242' },
      { holdId: crypto.randomUUID(), paymentMethodId: 'pm_card_visa', amount: 1 },
    ]) {
      const answer = await call(checkoutRoute, {
        method: 'POST',
        url: '/api/checkout',
        cookie: alice.cookie,
        headers: { 'idempotency-key': crypto.randomUUID() },
        body,
      });
      expect(answer).toMatchObject({ status: 422, body: { code: 'VALIDATION_FAILED' } });
    }
    const notJson = await call(checkoutRoute, {
      method: 'POST',
      url: '/api/checkout',
      cookie: alice.cookie,
      headers: { 'idempotency-key': crypto.randomUUID() },
      rawBody: '{"holdId":',
    });
    expect(notJson).toMatchObject({ status: 400, body: { code: 'MALFORMED_REQUEST' } });
    expect(await countRows(handle(), 'orders')).toBe(0);
    expect(await countRows(handle(), 'idempotency_keys')).toBe(0);
  });

  it('replays the API answer for a repeated Idempotency-Key, and 422 for the same key on another hold', async () => {
    const alice = await signUp();
    const deps = stripe.deps();
    const { event } = await createOnSaleEvent(handle().db, { rows: 2, seatsPerRow: 5 });
    const first = await holdSeats(deps, event.id, alice.id, 1);
    const second = await holdSeats(deps, event.id, alice.id, 1, 3);
    const key = crypto.randomUUID();
    const cookie = await admitted(alice, event.id);
    const send = (holdId: string) => payThroughRoute(cookie, holdId, { key });
    const a = await send(first.id);
    const b = await send(first.id);
    expect(a.status).toBe(201);
    expect(b).toEqual(expect.objectContaining({ status: 201, body: a.body }));
    expect(await send(second.id)).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
  });

  it('requires the waiting room’s admission for the hold’s event before charging (403), and ends the shopping window once paid', async () => {
    const alice = await signUp();
    const deps = stripe.deps();
    const { event } = await createOnSaleEvent(handle().db, { rows: 2, seatsPerRow: 5 });
    const { event: other } = await createOnSaleEvent(handle().db, { rows: 2, seatsPerRow: 5 });
    const hold = await holdSeats(deps, event.id, alice.id, 1);
    const pay = (cookie: string, holdId = hold.id) => payThroughRoute(cookie, holdId);
    expect(await pay(alice.cookie)).toMatchObject({
      status: 403,
      body: { code: 'QUEUE_TOKEN_REQUIRED', queueUrl: `/events/${event.id}/queue` },
    });
    expect(await pay(await admitted(alice, other.id))).toMatchObject({
      status: 403,
      body: { code: 'QUEUE_TOKEN_REQUIRED' },
    });
    expect(await countRows(handle(), 'payments')).toBe(0);

    const admittedCookie = await admitted(alice, event.id);
    expect((await pay(admittedCookie)).status).toBe(201);
    // The window ended with the payment: the same admission no longer buys more.
    const second = await holdSeats(deps, event.id, alice.id, 1, 5);
    expect(await pay(admittedCookie, second.id)).toMatchObject({ status: 403, body: { code: 'QUEUE_TOKEN_REQUIRED' } });
  });

  it('lists the buyer’s orders newest first, and only theirs', async () => {
    const alice = await signUp();
    const bob = await signUp();
    const older = await buy(alice);
    const newer = await buy(alice);
    await buy(bob);
    const listed = await call(listOrdersRoute, { url: '/api/orders', cookie: alice.cookie });
    expect(listed.status).toBe(200);
    const list = (listed.body as { orders: OrderListItem[] }).orders;
    expect(list.map((o) => o.id)).toEqual([newer.order.orderId, older.order.orderId]);
    expect(list[0]).toMatchObject({ status: 'paid', ticketCount: 2, currency: 'USD' });
    const page = await call(listOrdersRoute, { url: '/api/orders?limit=1', cookie: alice.cookie });
    expect(page.body).toMatchObject({ orders: [{ id: newer.order.orderId }], nextCursor: expect.any(String) });
  });

  it('answers 404 to another account for orders, tickets, holds, cancellation, transfer and device keys', async () => {
    const alice = await signUp();
    const mallory = await signUp();
    const { order, hold } = await buy(alice);
    const ticketId = order.ticketIds[0]!;
    const answers = [
      await getOrder(mallory, order.orderId),
      await cancel(mallory, order.orderId),
      await getTicket(mallory, ticketId),
      await transfer(mallory, ticketId, mallory.email),
      await call(deviceKeyRoute, {
        method: 'POST',
        url: `/api/tickets/${ticketId}/device-key`,
        params: { id: ticketId },
        cookie: mallory.cookie,
        body: { publicKey: 'A'.repeat(43) },
      }),
      await call(holdRoute, { url: `/api/holds/${hold.id}`, params: { id: hold.id }, cookie: mallory.cookie }),
      await payThroughRoute(mallory.cookie, hold.id),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(404);
      expect(JSON.stringify(answer.body)).not.toContain(alice.email);
    }
    // Nothing changed: still paid, still Alice's.
    expect(((await getOrder(alice, order.orderId)).body as OrderDetails).status).toBe('paid');
    expect(((await getTicket(alice, ticketId)).body as TicketDetails).mine).toBe(true);

    // An organizer may look.
    const admin = await signUpAdmin(handle().db);
    expect((await getOrder(admin, order.orderId)).status).toBe(200);
  });

  it('cancels once when asked twice at the same time: one refund, seats back on sale, tickets void', async () => {
    const alice = await signUp();
    const { order, hold } = await buy(alice);
    const [a, b] = await Promise.all([cancel(alice, order.orderId), cancel(alice, order.orderId)]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    const first = a.body as CancelResult;
    expect(first).toMatchObject({
      status: 'refunded',
      refund: { amountMinor: order.totalMinor, status: 'succeeded', reason: 'requested_by_customer' },
    });
    expect((b.body as CancelResult).refund!.id).toBe(first.refund!.id);
    const again = await cancel(alice, order.orderId);
    expect(again.body).toEqual(a.body);

    expect(await countRows(handle(), 'refunds')).toBe(1);
    expect([...stripe.fake().refunds.values()].filter((r) => r.metadata.order_id === order.orderId)).toHaveLength(1);
    expect(await seatStatuses(handle(), hold.seatIds)).toEqual(['available', 'available']);
    expect(await countRows(handle(), 'tickets', sql`order_id = ${order.orderId} and status = 'void'`)).toBe(2);
    const details = (await getOrder(alice, order.orderId)).body as OrderDetails;
    expect(details).toMatchObject({ status: 'refunded', refundedMinor: order.totalMinor, cancellation: null });
    const code = ((await getTicket(alice, order.ticketIds[0]!)).body as TicketDetails).code;
    expect(code).toBeNull();
  });

  it('follows the event’s refund policy: half back within 24 hours, no cancellation within 2', async () => {
    const alice = await signUp();
    const soon = await buy(alice, { startsInHours: 10 });
    expect(((await getOrder(alice, soon.order.orderId)).body as OrderDetails).cancellation).toEqual({
      percent: 50,
      refundMinor: Math.floor(soon.order.totalMinor / 2),
    });
    const half = (await cancel(alice, soon.order.orderId)).body as CancelResult;
    expect(half.refund).toMatchObject({ amountMinor: Math.floor(soon.order.totalMinor / 2), status: 'succeeded' });

    const tooLate = await buy(alice, { startsInHours: 1 });
    expect(((await getOrder(alice, tooLate.order.orderId)).body as OrderDetails).cancellation).toBeNull();
    expect(await cancel(alice, tooLate.order.orderId)).toMatchObject({ status: 409, body: { code: 'INVALID_STATE' } });
  });

  it('transfers a ticket once claimed: the new holder has it, the old one loses it, and the old code stops verifying', async () => {
    const alice = await signUp({ name: 'Alice' });
    const bob = await signUp({ name: 'Bob' });
    const { order, event } = await buy(alice);
    const ticketId = order.ticketIds[0]!;
    const before = (await getTicket(alice, ticketId)).body as TicketDetails;
    expect((await checkTicketCode(handle().db, before.code!)).ok).toBe(true);

    expect(await transfer(alice, ticketId, alice.email)).toMatchObject({ status: 422 });
    const offered = await transfer(alice, ticketId, bob.email.toUpperCase());
    expect(offered).toMatchObject({ status: 200, body: { ticketId, status: 'pending', toEmail: bob.email } });
    // Offered, not moved: Alice's code works until Bob claims it from the email.
    expect((await checkTicketCode(handle().db, before.code!)).ok).toBe(true);
    expect(await transfer(alice, ticketId, bob.email)).toMatchObject({ status: 409, body: { code: 'CONFLICT' } });
    await claimTransfer(stripe.deps(), bob, await claimTokenSentTo(handle().db, bob.email));
    expect(await transfer(alice, ticketId, bob.email)).toMatchObject({ status: 409, body: { code: 'INVALID_STATE' } });

    const oldView = (await getTicket(alice, ticketId)).body as TicketDetails;
    expect(oldView).toMatchObject({
      status: 'void',
      voidReason: 'transferred',
      code: null,
      transferredToEmail: bob.email,
    });
    expect(await checkTicketCode(handle().db, before.code!)).toMatchObject({ ok: false, reason: 'revoked' });

    const bobs = await call(listOrdersRoute, { url: '/api/orders', cookie: bob.cookie });
    expect((bobs.body as { orders: unknown[] }).orders).toEqual([]);
    const { listTicketsForViewer } = await import('@/lib/tickets/list-tickets-for-viewer');
    const [received] = await listTicketsForViewer(handle().db, bob.id);
    expect(received).toMatchObject({ transferred: true, eventId: event.id });
    const bobsTicket = (await getTicket(bob, received!.id)).body as TicketDetails;
    expect(bobsTicket).toMatchObject({
      status: 'valid',
      mine: true,
      holderName: 'Bob',
      orderId: null,
      orderReference: null,
    });
    expect((await checkTicketCode(handle().db, bobsTicket.code!)).ok).toBe(true);
    expect((await getTicket(alice, received!.id)).status).toBe(404);

    // A scanner offline: the signature of the old code is still good, the revocation list stops it.
    expect(
      (await call(scannerRoute, { url: `/api/tickets/scanner?eventId=${event.id}`, cookie: bob.cookie })).status,
    ).toBe(403);
    const admin = await signUpAdmin(handle().db);
    const bundle = (await call(scannerRoute, { url: `/api/tickets/scanner?eventId=${event.id}`, cookie: admin.cookie }))
      .body as ScannerBundle;
    expect(bundle.revokedTicketIds).toEqual([ticketId]);
    const revoked = new Set(bundle.revokedTicketIds);
    expect(
      await verifyTicketCode(before.code!, {
        publicKey: bundle.publicKey,
        eventId: event.id,
        isRevoked: (id) => revoked.has(id),
      }),
    ).toMatchObject({ ok: false, reason: 'revoked' });
    expect(
      await verifyTicketCode(bobsTicket.code!, {
        publicKey: bundle.publicKey,
        eventId: event.id,
        isRevoked: (id) => revoked.has(id),
      }),
    ).toMatchObject({ ok: true });
    // A scanner with a connection asks the server.
    const online = (code: string, person: Person) =>
      call(verifyRoute, { method: 'POST', url: '/api/tickets/verify', cookie: person.cookie, body: { code } });
    expect(await online(before.code!, admin)).toMatchObject({ status: 200, body: { ok: false, reason: 'revoked' } });
    expect(await online(bobsTicket.code!, admin)).toMatchObject({ status: 200, body: { ok: true, kind: 'static' } });
    expect((await online(bobsTicket.code!, bob)).status).toBe(403);

    // Alice can no longer cancel the order: one of its tickets is Bob's now.
    expect(await cancel(alice, order.orderId)).toMatchObject({ status: 409, body: { code: 'INVALID_STATE' } });
  });

  it('certifies a device key for the rotating code, for the holder only', async () => {
    const alice = await signUp();
    const { order } = await buy(alice, { seats: 1 });
    const ticketId = order.ticketIds[0]!;
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const { toBase64Url, signRotatingCode } = await import('@/lib/tickets/ticket-code');
    const publicKey = toBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)));
    const answer = await call(deviceKeyRoute, {
      method: 'POST',
      url: `/api/tickets/${ticketId}/device-key`,
      params: { id: ticketId },
      cookie: alice.cookie,
      body: { publicKey },
    });
    expect(answer.status).toBe(200);
    const { delegation } = answer.body as { delegation: string };
    const rotating = await signRotatingCode(pair.privateKey, delegation);
    expect(await checkTicketCode(handle().db, rotating)).toMatchObject({ ok: true, kind: 'rotating', ticketId });
    const bad = await call(deviceKeyRoute, {
      method: 'POST',
      url: `/api/tickets/${ticketId}/device-key`,
      params: { id: ticketId },
      cookie: alice.cookie,
      body: { publicKey: 'short' },
    });
    expect(bad.status).toBe(422);
  });
});
