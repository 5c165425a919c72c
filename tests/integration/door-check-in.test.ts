import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as statsRoute } from '@/app/api/admin/events/[id]/checkin/route';
import { GET as listRoute } from '@/app/api/checkin/list/route';
import { POST as scanRoute } from '@/app/api/checkin/scan/route';
import { GET as sessionRoute } from '@/app/api/checkin/session/route';
import { POST as syncRoute } from '@/app/api/checkin/sync/route';
import { GET as ticketRoute } from '@/app/api/tickets/[id]/route';
import { getAuth } from '@/lib/auth/auth.server';
import { setStaffRole } from '@/lib/admin/set-staff-role';
import { createDevice, revokeDevice } from '@/lib/checkin/manage-devices';
import { createGate } from '@/lib/checkin/manage-gates';
import { verifyCheckinList } from '@/lib/checkin/signed-list';
import { getEventSigningKey } from '@/lib/tickets/get-event-signing-key';
import { signStaticCode } from '@/lib/tickets/ticket-code';
import { setPaymentProviderForTests } from '@/lib/checkout/get-payment-provider';
import { SimulatedGateway } from '@/lib/checkout/simulated-gateway';
import type { CheckinStats, ScannerSession, SignedCheckinList, SyncResult } from '@/lib/contracts/checkin';
import type { CheckoutResult, TicketDetails } from '@/lib/contracts/checkout';
import type { AdmissionResult } from '@/lib/contracts/tickets';
import { rows } from '@/db/sql';
import { admitted, checkoutTestDeps, holdSeats } from '../support/checkout';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent } from '../support/fixtures';
import { call, signUp, signUpAdmin } from '../support/http';
import { payThroughRoute } from '../support/pay';

/**
 * Issue 18, item 1: gates and paired scanner devices, the online scan (two gates at once admit once), the signed list
 * an offline scanner keeps, and offline admissions synced, with a ticket let in at two gates flagged, never lost.
 */
describe('door check-in', () => {
  const { handle } = useTestDatabase({ reset: false });
  const { coordinator } = useTestCoordinator();
  const gateway = new SimulatedGateway({ delayMs: 0 });
  let admin: Awaited<ReturnType<typeof signUpAdmin>>;
  let event: { id: string };
  let north: { id: string };
  let south: { id: string };
  let northToken: string;
  let southToken: string;
  const codes: { ticketId: string; code: string }[] = [];

  beforeAll(async () => {
    setPaymentProviderForTests(gateway);
    const db = handle().db;
    admin = await signUpAdmin(db);
    ({ event } = await createOnSaleEvent(db, { rows: 1, seatsPerRow: 8 }));
    north = await createGate(db, admin, { eventId: event.id, name: 'North gate' });
    south = await createGate(db, admin, { eventId: event.id, name: 'South gate' });
    northToken = (await createDevice(db, admin, { eventId: event.id, gateId: north.id, label: 'Phone N' })).token;
    southToken = (await createDevice(db, admin, { eventId: event.id, gateId: south.id, label: 'Phone S' })).token;
    const buyer = await signUp();
    const hold = await holdSeats(checkoutTestDeps(handle(), coordinator(), gateway), event.id, buyer.id, 5);
    const paid = await payThroughRoute(await admitted(buyer, event.id), hold.id);
    for (const ticketId of (paid.body as CheckoutResult).ticketIds) {
      const details = (
        await call(ticketRoute, { url: `/api/tickets/${ticketId}`, params: { id: ticketId }, cookie: buyer.cookie })
      ).body as TicketDetails;
      codes.push({ ticketId, code: details.code! });
    }
  });
  afterAll(() => setPaymentProviderForTests(undefined));

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const scan = async (token: string, code: string) => {
    const res = await call(scanRoute, {
      method: 'POST',
      url: '/api/checkin/scan',
      headers: bearer(token),
      body: { code },
    });
    expect(res.status).toBe(200);
    return res.body as AdmissionResult;
  };
  const sync = (token: string, admissions: { localId: string; ticketId: string; code: string; scannedAt: string }[]) =>
    call(syncRoute, { method: 'POST', url: '/api/checkin/sync', headers: bearer(token), body: { admissions } });

  it('a paired device scans only as itself: forged, revoked and expired tokens are 401, other events 403', async () => {
    const db = handle().db;
    const me = await call(sessionRoute, { url: '/api/checkin/session', headers: bearer(northToken) });
    expect(me.status).toBe(200);
    expect(me.body as ScannerSession).toMatchObject({
      kind: 'device',
      gateId: north.id,
      events: [{ id: event.id, gates: [{ id: north.id, name: 'North gate' }] }],
    });
    // Only the hash is stored.
    const [stored] = await rows<{ n: number }>(
      db,
      sql`select count(*)::int as n from scanner_devices where token_hash = ${northToken}`,
    );
    expect(stored!.n).toBe(0);

    for (const forged of ['aos_' + 'A'.repeat(43), 'not-a-token', northToken + 'x'])
      expect((await call(sessionRoute, { url: '/api/checkin/session', headers: bearer(forged) })).status).toBe(401);

    const spare = await createDevice(db, admin, { eventId: event.id, gateId: north.id, label: 'Spare' });
    expect((await call(sessionRoute, { url: '/api/checkin/session', headers: bearer(spare.token) })).status).toBe(200);
    await revokeDevice(db, admin, { eventId: event.id, deviceId: spare.deviceId });
    expect((await call(sessionRoute, { url: '/api/checkin/session', headers: bearer(spare.token) })).status).toBe(401);

    const old = await createDevice(db, admin, { eventId: event.id, gateId: north.id, label: 'Old' });
    await db.execute(
      sql`update scanner_devices set expires_at = now() - interval '1 minute' where id = ${old.deviceId}`,
    );
    expect((await call(sessionRoute, { url: '/api/checkin/session', headers: bearer(old.token) })).status).toBe(401);

    const { event: other } = await createOnSaleEvent(db, { rows: 1, seatsPerRow: 2 });
    const elsewhere = await call(scanRoute, {
      method: 'POST',
      url: '/api/checkin/scan',
      headers: bearer(northToken),
      body: { code: codes[0]!.code, eventId: other.id },
    });
    expect(elsewhere.status).toBe(403);
    // A genuine code of another event, scanned at this gate: refused, naming that event, and nothing admitted.
    const otherKey = await getEventSigningKey(db, other.id);
    const foreign = await signStaticCode(otherKey.privateKey, {
      t: crypto.randomUUID(),
      e: other.id,
      n: 'n0nce',
      s: 'A / 1 / 1',
      i: 0,
    });
    expect(await scan(northToken, foreign)).toMatchObject({
      admitted: false,
      reason: 'wrong_event',
      message: expect.stringContaining(`another event: ${other.name}`),
    });
    // A customer's session is no scanner; nobody at all is 401.
    const customer = await signUp();
    expect((await call(sessionRoute, { url: '/api/checkin/session', cookie: customer.cookie })).status).toBe(403);
    expect((await call(sessionRoute, { url: '/api/checkin/session' })).status).toBe(401);
  });

  it('admits a ticket once when two gates scan it at the same instant, and says where it went in', async () => {
    const { ticketId, code } = codes[0]!;
    const [a, b] = await Promise.all([scan(northToken, code), scan(southToken, code)]);
    const winners = [a, b].filter((r) => r.admitted);
    expect(winners).toHaveLength(1);
    const winnerGate = (winners[0] as { gate: string }).gate;
    const loser = [a, b].find((r) => !r.admitted)!;
    expect(loser).toMatchObject({ reason: 'already_admitted', ticketId, gate: winnerGate });
    const [row] = await rows<{ status: string; admitted_gate: string }>(
      handle().db,
      sql`select status, admitted_gate from tickets where id = ${ticketId}`,
    );
    expect(row).toEqual({ status: 'used', admitted_gate: winnerGate });
  });

  it('signs the offline list with the event key; an altered list or another key fails the check', async () => {
    const res = await call(listRoute, { url: '/api/checkin/list', headers: bearer(southToken) });
    expect(res.status).toBe(200);
    const signed = res.body as SignedCheckinList;
    const list = await verifyCheckinList(signed, signed.publicKey, event.id);
    expect(list?.admitted.map((a) => a.t)).toContain(codes[0]!.ticketId);
    expect(list?.revoked).toEqual([]);
    // One more id slipped into the body: the signature no longer covers it.
    const forged = JSON.parse(Buffer.from(signed.body, 'base64url').toString()) as { revoked: string[] };
    forged.revoked.push(codes[1]!.ticketId);
    const tampered = { ...signed, body: Buffer.from(JSON.stringify(forged)).toString('base64url') };
    expect(await verifyCheckinList(tampered, signed.publicKey, event.id)).toBeNull();
    // Signed by another event's key, or claimed for another event: refused.
    const { event: other } = await createOnSaleEvent(handle().db, { rows: 1, seatsPerRow: 1 });
    const otherList = (await call(listRoute, { url: `/api/checkin/list?eventId=${other.id}`, cookie: admin.cookie }))
      .body as SignedCheckinList;
    expect(await verifyCheckinList(otherList, signed.publicKey, event.id)).toBeNull();
    expect(await verifyCheckinList(signed, signed.publicKey, other.id)).toBeNull();
  });

  it('flags a ticket admitted offline at two gates on sync, keeps both scans, and a re-sent sync changes nothing', async () => {
    const [one, two] = [codes[1]!, codes[2]!];
    const at = (s: number) => new Date(Date.now() - s * 1000).toISOString();
    const northScans = [
      { localId: crypto.randomUUID(), ...one, scannedAt: at(60) },
      { localId: crypto.randomUUID(), ...two, scannedAt: at(50) },
    ];
    const southScans = [{ localId: crypto.randomUUID(), ...one, scannedAt: at(30) }];
    const [n, s] = await Promise.all([sync(northToken, northScans), sync(southToken, southScans)]);
    expect(n.status).toBe(200);
    expect(s.status).toBe(200);
    const outcomes = [...(n.body as SyncResult).outcomes, ...(s.body as SyncResult).outcomes];
    const forOne = outcomes
      .filter((o) => o.ticketId === one.ticketId)
      .map((o) => o.outcome)
      .sort();
    expect(forOne).toEqual(['admitted', 'conflict']);
    expect(outcomes.find((o) => o.ticketId === two.ticketId)?.outcome).toBe('admitted');

    // The same batch again (a phone that lost the answer): same outcomes, no new rows.
    const again = await sync(northToken, northScans);
    expect((again.body as SyncResult).outcomes.map((o) => o.outcome)).toEqual(
      (n.body as SyncResult).outcomes.map((o) => o.outcome),
    );
    const [count] = await rows<{ n: number }>(
      handle().db,
      sql`select count(*)::int as n from offline_scans where event_id = ${event.id}`,
    );
    expect(count!.n).toBe(3);

    // The dashboard: entries per gate, the share scanned, and the conflict with both gates.
    const stats = await call(statsRoute, {
      url: `/api/admin/events/${event.id}/checkin`,
      params: { id: event.id },
      cookie: admin.cookie,
    });
    expect(stats.status).toBe(200);
    const figures = stats.body as CheckinStats;
    expect(figures).toMatchObject({ tickets: 5, admitted: 3, share: 0.6 });
    expect(figures.gates.reduce((sum, g) => sum + g.entries, 0)).toBe(3);
    // Every gate the organizer named is listed, a gate nobody came through at 0.
    expect(figures.gates.map((g) => g.gate)).toEqual(expect.arrayContaining(['North gate', 'South gate']));
    expect(figures.conflicts).toHaveLength(1);
    const conflict = figures.conflicts[0]!;
    expect(conflict).toMatchObject({ ticketId: one.ticketId, outcome: 'conflict' });
    expect(new Set([conflict.gate, conflict.firstGate])).toEqual(new Set(['North gate', 'South gate']));
  });

  it('door staff are granted by email, scan at a gate they pick, and lose access when the role is removed', async () => {
    const db = handle().db;
    const password = 'correct horse battery staple';
    const person = await signUp({ password });
    await setStaffRole(db, admin, { email: person.email, role: 'door', grant: true });
    const signIn = async () =>
      (await (await getAuth()).api.signInEmail({ body: { email: person.email, password }, asResponse: true })).headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
    const cookie = await signIn();
    const staffScan = await call(scanRoute, {
      method: 'POST',
      url: '/api/checkin/scan',
      cookie,
      body: { code: codes[3]!.code, eventId: event.id, gateId: south.id },
    });
    expect(staffScan.body).toMatchObject({ admitted: true, gate: 'South gate' });
    const [audit] = await rows<{ n: number }>(
      db,
      sql`select count(*)::int as n from audit_log where action = 'user.role_granted' and entity_id = ${person.id}`,
    );
    expect(audit!.n).toBe(1);
    await setStaffRole(db, admin, { email: person.email, role: 'door', grant: false });
    // Signed out everywhere; signing in again gives a customer's session.
    expect((await call(sessionRoute, { url: '/api/checkin/session', cookie })).status).toBe(401);
    expect((await call(sessionRoute, { url: '/api/checkin/session', cookie: await signIn() })).status).toBe(403);
  });
});
