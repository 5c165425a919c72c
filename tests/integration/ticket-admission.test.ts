import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as admitRoute } from '@/app/api/tickets/admit/route';
import { POST as deviceKeyRoute } from '@/app/api/tickets/[id]/device-key/route';
import { GET as ticketRoute } from '@/app/api/tickets/[id]/route';
import { POST as verifyRoute } from '@/app/api/tickets/verify/route';
import { rows } from '@/db/sql';
import { setPaymentProviderForTests } from '@/lib/checkout/get-payment-provider';
import { SimulatedGateway } from '@/lib/checkout/simulated-gateway';
import type { CheckoutResult, TicketDetails } from '@/lib/contracts/checkout';
import type { AdmissionResult } from '@/lib/contracts/tickets';
import { signRotatingCode, toBase64Url } from '@/lib/tickets/ticket-code';
import { admitted, checkoutTestDeps, holdSeats } from '../support/checkout';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent } from '../support/fixtures';
import { call, signUp, signUpAdmin } from '../support/http';
import { payThroughRoute } from '../support/pay';

/**
 * Issue 15, item 7: a ticket gets in once. Admission marks it used in one conditional statement, a second scan says
 * when and where it was let in, and a ticket has one live device at a time.
 */
describe('admission at the door', () => {
  const { handle } = useTestDatabase({ reset: false });
  const { coordinator } = useTestCoordinator();
  const gateway = new SimulatedGateway({ delayMs: 50 });
  let admin: Awaited<ReturnType<typeof signUpAdmin>>;
  beforeAll(async () => {
    setPaymentProviderForTests(gateway);
    admin = await signUpAdmin(handle().db);
  });
  afterAll(() => setPaymentProviderForTests(undefined));

  async function ticket(seats = 1) {
    const buyer = await signUp();
    const { event } = await createOnSaleEvent(handle().db, {
      rows: 2,
      seatsPerRow: 5,
      event: { timezone: 'Europe/Paris' },
    });
    const hold = await holdSeats(checkoutTestDeps(handle(), coordinator(), gateway), event.id, buyer.id, seats);
    const paid = await payThroughRoute(await admitted(buyer, event.id), hold.id);
    expect(paid.status).toBe(201);
    const ticketId = (paid.body as CheckoutResult).ticketIds[0]!;
    const details = (
      await call(ticketRoute, { url: `/api/tickets/${ticketId}`, params: { id: ticketId }, cookie: buyer.cookie })
    ).body as TicketDetails;
    return { buyer, event, ticketId, code: details.code! };
  }
  const admit = async (code: string, eventId: string, gate: string) => {
    const res = await call(admitRoute, {
      method: 'POST',
      url: '/api/tickets/admit',
      cookie: admin.cookie,
      body: { code, eventId, gate },
    });
    expect(res.status).toBe(200);
    return res.body as AdmissionResult;
  };

  it('lets a ticket in once; every later scan says when and at which gate it was let in', async () => {
    const { event, ticketId, code } = await ticket();
    const first = await admit(code, event.id, 'North gate');
    expect(first).toMatchObject({ admitted: true, ticketId, gate: 'North gate' });
    const second = await admit(code, event.id, 'South gate');
    expect(second).toMatchObject({ admitted: false, reason: 'already_admitted', ticketId, gate: 'North gate' });
    // The time in the event's own zone, as the door staff read it.
    const paris = new Intl.DateTimeFormat('en-GB', { timeStyle: 'medium', timeZone: 'Europe/Paris' }).format(
      new Date((first as { admittedAt: string }).admittedAt),
    );
    expect((second as { message: string }).message).toBe(`Already admitted at ${paris}, North gate.`);
    // The plain online check agrees, and the ticket is used in the database.
    const verified = await call(verifyRoute, {
      method: 'POST',
      url: '/api/tickets/verify',
      cookie: admin.cookie,
      body: { code, eventId: event.id },
    });
    expect(verified.body).toMatchObject({ ok: false, reason: 'used', gate: 'North gate' });
    const [row] = await rows<{ status: string; used_at: Date | null }>(
      handle().db,
      sql`select status, used_at from tickets where id = ${ticketId}`,
    );
    expect(row).toMatchObject({ status: 'used' });
    expect(row!.used_at).not.toBeNull();
  });

  it('admits exactly once when many scanners read the same code at the same moment', async () => {
    const { event, ticketId, code } = await ticket();
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => admit(code, event.id, `Door ${i + 1}`)));
    const winners = answers.filter((a) => a.admitted);
    expect(winners).toHaveLength(1);
    for (const other of answers.filter((a) => !a.admitted))
      expect(other).toMatchObject({
        reason: 'already_admitted',
        ticketId,
        gate: (winners[0] as { gate: string }).gate,
      });
    const [audit] = await rows<{ n: number }>(
      handle().db,
      sql`select count(*)::int as n from audit_log where action = 'ticket.admitted' and entity_id = ${ticketId}`,
    );
    expect(audit!.n).toBe(1);
  });

  it('refuses a code for another event, and only admins may admit', async () => {
    const { buyer, code } = await ticket();
    const { event: other } = await createOnSaleEvent(handle().db, { rows: 1, seatsPerRow: 2 });
    expect(await admit(code, other.id, 'Gate')).toMatchObject({ admitted: false });
    const asBuyer = await call(admitRoute, {
      method: 'POST',
      url: '/api/tickets/admit',
      cookie: buyer.cookie,
      body: { code, eventId: other.id, gate: 'Gate' },
    });
    expect(asBuyer.status).toBe(403);
    const badGate = await call(admitRoute, {
      method: 'POST',
      url: '/api/tickets/admit',
      cookie: admin.cookie,
      body: { code, eventId: other.id, gate: 'North\ngate' },
    });
    expect(badGate).toMatchObject({ status: 422, body: { code: 'VALIDATION_FAILED' } });
  });

  it('keeps one live device per ticket: certifying a new device key retires the codes of the old one', async () => {
    const { buyer, event, ticketId } = await ticket();
    const device = async () => {
      const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
      const publicKey = toBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)));
      const answer = await call(deviceKeyRoute, {
        method: 'POST',
        url: `/api/tickets/${ticketId}/device-key`,
        params: { id: ticketId },
        cookie: buyer.cookie,
        body: { publicKey },
      });
      expect(answer.status).toBe(200);
      return { pair, delegation: (answer.body as { delegation: string }).delegation };
    };
    const phones = [await device(), await device(), await device(), await device(), await device()];
    const verify = async (code: string) =>
      (
        await call(verifyRoute, {
          method: 'POST',
          url: '/api/tickets/verify',
          cookie: admin.cookie,
          body: { code, eventId: event.id },
        })
      ).body;
    // Only the key certified last produces codes that pass; the four before it are retired.
    for (const old of phones.slice(0, 4))
      expect(await verify(await signRotatingCode(old.pair.privateKey, old.delegation))).toMatchObject({
        ok: false,
        reason: 'device_replaced',
      });
    const current = phones[4]!;
    expect(await verify(await signRotatingCode(current.pair.privateKey, current.delegation))).toMatchObject({
      ok: true,
      kind: 'rotating',
      ticketId,
    });
    expect(
      await admit(await signRotatingCode(phones[0]!.pair.privateKey, phones[0]!.delegation), event.id, 'Gate A'),
    ).toMatchObject({ admitted: false, reason: 'device_replaced' });
    expect(
      await admit(await signRotatingCode(current.pair.privateKey, current.delegation), event.id, 'Gate A'),
    ).toMatchObject({ admitted: true, kind: 'rotating' });
  });
});
