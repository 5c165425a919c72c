import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as counterHoldRoute } from '@/app/api/counter/holds/route';
import { POST as counterSaleRoute } from '@/app/api/counter/sales/route';
import { POST as counterVoidRoute } from '@/app/api/counter/sales/[id]/void/route';
import { GET as tillRoute } from '@/app/api/counter/till/route';
import { GET as tillExportRoute } from '@/app/api/counter/till/export/route';
import { POST as onlineHoldRoute } from '@/app/api/events/[id]/holds/route';
import { orders, payments, refunds, ticketTransfers, tickets } from '@/db/schema';
import { rows } from '@/db/sql';
import type { CounterSaleResult, CounterVoidResult, Till } from '@/lib/contracts/counter';
import type { HoldResponse } from '@/lib/contracts/inventory';
import { setEmailSenderForTests } from '@/lib/notifications/email-sender';
import { admittedCookie } from '../support/admission';
import { checkoutTestDeps, RecordingEmailSender, seatStatuses } from '../support/checkout';
import { payForHold } from '@/lib/checkout/pay-for-hold';
import { SimulatedGateway } from '@/lib/checkout/simulated-gateway';
import { placeHold } from '@/lib/inventory';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createUser } from '../support/fixtures';
import { call } from '../support/http';
import { sessionCookies } from '../support/sessions';
import { seatIdsOf } from '../support/inventory';

type Person = { id: string; email: string; cookie: string };

/**
 * Counter sales through their HTTP handlers, on the real PostgreSQL and Redis: the counter and online buyers share one
 * seat map and one hold, so whoever holds a seat first has it; a cash or card sale is recorded as such, once per key;
 * the till adds up per staff member and method, and a void comes off it.
 */
describe('counter sales', () => {
  const { handle } = useTestDatabase({ maxConnections: 10, reset: false });
  const { coordinator } = useTestCoordinator();
  const email = new RecordingEmailSender();
  beforeAll(() => setEmailSenderForTests(email));
  afterAll(() => setEmailSenderForTests(undefined));

  /** An account with a session (no sign-up: no password hashing, which would take most of this file's time). */
  const person = async (role: 'customer' | 'door' | 'box_office' | 'admin' = 'customer', name?: string) => {
    const made = await createUser(handle().db, { role, ...(name ? { name } : {}) });
    const [cookie] = await sessionCookies(handle().db, [made.id]);
    return { ...made, cookie: cookie! };
  };
  // One event for the file, 10 seats per test at 50.00 (no fee per ticket in the fixture).
  const shared: { event?: Awaited<ReturnType<typeof createOnSaleEvent>>['event']; seats: number[]; next: number } = {
    seats: [],
    next: 0,
  };
  beforeAll(async () => {
    shared.event = (await createOnSaleEvent(handle().db, { rows: 5, seatsPerRow: 10, priceMinor: 5000 })).event;
    shared.seats = await seatIdsOf(handle(), shared.event.id);
  });
  const event = async () => {
    const seats = shared.seats.slice(shared.next, shared.next + 10);
    shared.next += 10;
    return { event: shared.event!, seats };
  };
  const counterHold = (staff: Person, eventId: string, seatIds: number[]) =>
    call(counterHoldRoute, {
      method: 'POST',
      url: '/api/counter/holds',
      cookie: staff.cookie,
      body: { eventId, seatIds },
    });
  const onlineHold = async (buyer: Person, eventId: string, seatIds: number[]) =>
    call(onlineHoldRoute, {
      method: 'POST',
      url: `/api/events/${eventId}/holds`,
      params: { id: eventId },
      cookie: await admittedCookie(buyer.cookie, eventId, buyer.id),
      body: { seatIds },
    });
  const sell = (staff: Person, body: unknown, key: string = crypto.randomUUID()) =>
    call(counterSaleRoute, {
      method: 'POST',
      url: '/api/counter/sales',
      cookie: staff.cookie,
      headers: { 'idempotency-key': key },
      body,
    });
  const till = (staff: Person, query = '') =>
    call(tillRoute, { url: `/api/counter/till${query}`, cookie: staff.cookie });

  it('a seat an online buyer holds is refused at the counter, and a seat the counter holds is refused online', async () => {
    const { event: e, seats } = await event();
    const staff = await person('box_office');
    const buyer = await person();

    // Online first: the counter loses the seat, and gets the others it asked for only if it asks without it.
    const online = await onlineHold(buyer, e.id, [seats[0]!]);
    expect(online.status, JSON.stringify(online.body)).toBe(201);
    const refused = await counterHold(staff, e.id, [seats[0]!, seats[1]!]);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'SEATS_UNAVAILABLE', unavailableSeatIds: [seats[0]] });

    // Counter first: the online buyer loses it.
    const held = await counterHold(staff, e.id, [seats[1]!]);
    expect(held.status, JSON.stringify(held.body)).toBe(201);
    const lost = await onlineHold(buyer, e.id, [seats[1]!]);
    expect(lost.status).toBe(409);
    expect(lost.body).toMatchObject({ code: 'SEATS_UNAVAILABLE', unavailableSeatIds: [seats[1]] });

    // Both at once on the same seat: exactly one wins.
    const [a, b] = await Promise.all([counterHold(staff, e.id, [seats[2]!]), onlineHold(buyer, e.id, [seats[2]!])]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const [owner] = await rows<{ user_id: string }>(
      handle().db,
      sql`select h.user_id from event_seats s join holds h on h.id = s.hold_id where s.id = ${seats[2]!}`,
    );
    expect(owner!.user_id).toBe(a.status === 201 ? staff.id : buyer.id);
  });

  it('sells for cash: tickets issued to print, the payment recorded as cash with the change; a card sale keeps the terminal’s reference', async () => {
    const { event: e, seats } = await event();
    const staff = await person('box_office', 'Ada Till');
    const hold = (await counterHold(staff, e.id, [seats[3]!, seats[4]!])).body as HoldResponse;

    const short = await sell(staff, { holdId: hold.id, payment: { method: 'cash', tenderedMinor: 9999 } });
    expect(short.status).toBe(422);
    expect(short.body).toMatchObject({ code: 'VALIDATION_FAILED', totalMinor: 10000 });

    const sold = await sell(staff, { holdId: hold.id, payment: { method: 'cash', tenderedMinor: 12000 } });
    expect(sold.status, JSON.stringify(sold.body)).toBe(200);
    const sale = sold.body as CounterSaleResult;
    expect(sale).toMatchObject({
      status: 'paid',
      totalMinor: 10000,
      method: 'cash',
      tenderedMinor: 12000,
      changeMinor: 2000,
      terminalReference: null,
      emailedTo: null,
    });
    expect(sale.ticketIds).toHaveLength(2);
    const db = handle().db;
    const [payment] = await db.select().from(payments).where(eq(payments.orderId, sale.orderId));
    expect(payment).toMatchObject({
      provider: 'counter',
      paymentMethod: 'cash',
      status: 'succeeded',
      takenBy: staff.id,
      tenderedMinor: 12000,
      changeMinor: 2000,
    });
    const issued = await db.select().from(tickets).where(eq(tickets.orderId, sale.orderId));
    expect(issued.map((t) => [t.status, t.ownerId])).toEqual([
      ['valid', staff.id],
      ['valid', staff.id],
    ]);
    expect(await seatStatuses(handle(), [seats[3]!, seats[4]!])).toEqual(['sold', 'sold']);

    // Card present, tickets to the buyer's email: each is offered to that address (decision 028).
    const cardHold = (await counterHold(staff, e.id, [seats[5]!])).body as HoldResponse;
    const card = await sell(staff, {
      holdId: cardHold.id,
      payment: { method: 'card_present', terminalReference: 'TRM-0042 AUTH 771203' },
      email: 'Walk.In@Example.test',
    });
    expect(card.status, JSON.stringify(card.body)).toBe(200);
    expect(card.body).toMatchObject({
      method: 'card_present',
      terminalReference: 'TRM-0042 AUTH 771203',
      tenderedMinor: null,
      emailedTo: 'walk.in@example.test',
    });
    const offered = await db
      .select()
      .from(ticketTransfers)
      .where(eq(ticketTransfers.ticketId, (card.body as CounterSaleResult).ticketIds[0]!));
    expect(offered).toMatchObject([{ toEmail: 'walk.in@example.test', status: 'pending' }]);

    // Someone else's hold is nobody's at the counter.
    const other = await person('box_office');
    const theirs = (await counterHold(other, e.id, [seats[6]!])).body as HoldResponse;
    expect((await sell(staff, { holdId: theirs.id, payment: { method: 'cash', tenderedMinor: 5000 } })).status).toBe(
      404,
    );
  });

  it('sells once per idempotency key: a replay answers the first sale, a double click sells once', async () => {
    const { event: e, seats } = await event();
    const staff = await person('box_office');
    const hold = (await counterHold(staff, e.id, [seats[7]!])).body as HoldResponse;
    const body = { holdId: hold.id, payment: { method: 'cash', tenderedMinor: 5000 } };
    const key = crypto.randomUUID();

    const [first, second] = await Promise.all([sell(staff, body, key), sell(staff, body, key)]);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(second.body).toEqual(first.body);
    const replay = await sell(staff, body, key);
    expect(replay.body).toEqual(first.body);
    // Another click with a new key on the same hold: already sold, nothing more.
    const again = await sell(staff, body);
    expect(again.status).toBe(409);
    expect((await sell(staff, { ...body, payment: { method: 'cash', tenderedMinor: 6000 } }, key)).status).toBe(422);

    const db = handle().db;
    const made = await db.select().from(orders).where(eq(orders.holdId, hold.id));
    expect(made.filter((o) => o.status === 'paid')).toHaveLength(1);
    expect(await db.select().from(tickets).where(eq(tickets.eventSeatId, seats[7]!))).toHaveLength(1);
  });

  it('adds up the till per staff member and method, takes a same-day void off it, and exports it as CSV', async () => {
    const { event: e, seats } = await event();
    const db = handle().db;
    const ada = await person('box_office', '=Ada Counter');
    const ben = await person('box_office', 'Ben Counter');
    const saleOf = async (staff: Person, seatIds: number[], payment: unknown) => {
      const hold = (await counterHold(staff, e.id, seatIds)).body as HoldResponse;
      const sold = await sell(staff, { holdId: hold.id, payment });
      expect(sold.status, JSON.stringify(sold.body)).toBe(200);
      return sold.body as CounterSaleResult;
    };
    const a1 = await saleOf(ada, [seats[0]!, seats[1]!], { method: 'cash', tenderedMinor: 10000 });
    await saleOf(ada, [seats[2]!], { method: 'cash', tenderedMinor: 20000 });
    await saleOf(ada, [seats[3]!], { method: 'card_present', terminalReference: 'T1' });
    const b1 = await saleOf(ben, [seats[4]!], { method: 'cash', tenderedMinor: 5000 });

    // Ben takes Ada's first sale back (the buyer changed their mind at his window): the cash-out is his.
    const voided = await call(counterVoidRoute, {
      method: 'POST',
      url: `/api/counter/sales/${a1.orderId}/void`,
      params: { id: a1.orderId },
      cookie: ben.cookie,
    });
    expect(voided.status, JSON.stringify(voided.body)).toBe(200);
    expect(voided.body as CounterVoidResult).toEqual({
      orderId: a1.orderId,
      status: 'refunded',
      refundMinor: 10000,
      currency: 'USD',
      method: 'cash',
    });
    const again = await call(counterVoidRoute, {
      method: 'POST',
      url: `/api/counter/sales/${a1.orderId}/void`,
      params: { id: a1.orderId },
      cookie: ben.cookie,
    });
    expect(again.body).toEqual(voided.body);
    expect(await seatStatuses(handle(), [seats[0]!, seats[1]!])).toEqual(['available', 'available']);
    expect(
      await db
        .select()
        .from(refunds)
        .where(and(eq(refunds.orderId, a1.orderId), eq(refunds.reason, 'counter_void'))),
    ).toMatchObject([{ amountMinor: 10000, status: 'succeeded', paidOutBy: ben.id }]);

    const answer = await till(ada);
    expect(answer.status).toBe(200);
    const mine = (answer.body as Till).rows.filter((r) => r.staffId === ada.id || r.staffId === ben.id);
    expect(mine.map((r) => [r.staffName, r.method, r.sales, r.salesMinor, r.voids, r.voidsMinor, r.netMinor])).toEqual([
      ['=Ada Counter', 'card_present', 1, 5000, 0, 0, 5000],
      ['=Ada Counter', 'cash', 2, 15000, 0, 0, 15000],
      ['Ben Counter', 'cash', 1, 5000, 1, 10000, -5000],
    ]);
    const sales = (answer.body as Till).sales.filter((s) => [a1.orderId, b1.orderId].includes(s.orderId));
    expect(sales.map((s) => [s.orderId, s.status, s.voidable])).toEqual([
      [b1.orderId, 'paid', true],
      [a1.orderId, 'refunded', false],
    ]);

    // Another day has nothing of theirs.
    const yesterday = await till(ada, `?date=2020-01-01&tz=Europe/Vienna`);
    expect((yesterday.body as Till).rows.filter((r) => r.staffId === ada.id)).toEqual([]);
    expect((await till(ada, '?date=2020-02-30')).status).toBe(422);
    expect((await till(ada, '?tz=Mars/Olympus')).status).toBe(422);

    const csv = await call(tillExportRoute, { url: '/api/counter/till/export', cookie: ada.cookie });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = String(csv.body).trim().split('\r\n');
    expect(lines[0]).toBe(
      'date,time_zone,staff_name,staff_email,method,currency,sales,sales_minor,voids,voids_minor,net_minor',
    );
    // A name a spreadsheet would run as a formula is written as text.
    expect(lines).toContain(`${(answer.body as Till).date},UTC,'=Ada Counter,${ada.email},cash,USD,2,15000,0,0,15000`);
    expect(lines).toContain(`${(answer.body as Till).date},UTC,Ben Counter,${ben.email},cash,USD,1,5000,1,10000,-5000`);
  });

  it('is for box-office staff and organizers: customers and door staff 403, signed out 401, online orders not voidable', async () => {
    const { event: e, seats } = await event();
    const customer = await person();
    const door = await person('door');
    const admin = await person('admin');
    for (const who of [customer, door]) {
      expect((await counterHold(who, e.id, [seats[8]!])).status).toBe(403);
      expect(
        (await sell(who, { holdId: crypto.randomUUID(), payment: { method: 'cash', tenderedMinor: 1 } })).status,
      ).toBe(403);
      expect((await till(who)).status).toBe(403);
      expect((await call(tillExportRoute, { url: '/api/counter/till/export', cookie: who.cookie })).status).toBe(403);
    }
    expect((await call(tillRoute, { url: '/api/counter/till' })).status).toBe(401);
    expect(
      (
        await call(counterHoldRoute, {
          method: 'POST',
          url: '/api/counter/holds',
          body: { eventId: e.id, seatIds: [seats[8]!] },
        })
      ).status,
    ).toBe(401);

    // An organizer may work the counter.
    expect((await counterHold(admin, e.id, [seats[8]!])).status).toBe(201);

    // An order paid online is not a counter sale: the counter cannot void it.
    const deps = checkoutTestDeps(handle(), coordinator(), new SimulatedGateway({ delayMs: 0 }));
    const hold = await placeHold(deps, { eventId: e.id, userId: customer.id, seatIds: [seats[9]!] });
    const online = await payForHold(
      deps,
      { ...customer, role: 'customer' },
      { holdId: hold.id, paymentMethodId: 'pm_card_visa' },
      crypto.randomUUID(),
    );
    expect(online.outcome).toBe('paid');
    const staff = await person('box_office');
    const id = online.orderId;
    const refused = await call(counterVoidRoute, {
      method: 'POST',
      url: `/api/counter/sales/${id}/void`,
      params: { id },
      cookie: staff.cookie,
    });
    expect(refused.status).toBe(404);
    expect((await handle().db.select().from(orders).where(eq(orders.id, id)))[0]!.status).toBe('paid');
  });
});
