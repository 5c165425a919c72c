import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POST as authPost } from '@/app/api/auth/[...all]/route';
import { POST as holdRoute } from '@/app/api/events/[id]/holds/route';
import { POST as joinRoute } from '@/app/api/events/[id]/queue/route';
import { DELETE as releaseRoute } from '@/app/api/holds/[id]/route';
import { GET as metricsRoute } from '@/app/api/metrics/route';
import { getEventDashboard } from '@/lib/admin/dashboard';
import { guardSignUp } from '@/lib/auth/auth-limits';
import { getCoordinator } from '@/lib/coordination';
import type { HoldResponse } from '@/lib/contracts/inventory';
import { resetEnvForTests } from '@/lib/env';
import { connectionContext } from '@/lib/http/connection-context';
import { RATE_LIMITS } from '@/lib/ratelimit/policies';
import { forgetHighDemandForTests } from '@/lib/security/high-demand';
import { issueChallenge } from '@/lib/security/proof-of-work';
import { solveChallenge } from '@/lib/security/proof-of-work-solver';
import { admittedCookie } from '../support/admission';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createUsers } from '../support/fixtures';
import { call } from '../support/http';
import { seatIdsOf } from '../support/inventory';
import { sessionCookies } from '../support/sessions';

/**
 * Issue 15, item 8: scripted accounts hoarding seats. Sign-ups are limited per address; holds per address and event;
 * sign-up and the waiting room of a high-demand event want a proof of work; accounts that hold and never pay show
 * on the dashboard and in the metrics.
 */
describe('defences against seat hoarding', () => {
  const { handle } = useTestDatabase();
  useTestCoordinator();
  const run = Math.floor(Math.random() * 250);
  let next = 0;
  const address = () => `192.0.${run}.${(next++ % 250) + 1}`;
  beforeEach(() => {
    process.env.TRUSTED_PROXIES = '127.0.0.1'; // client addresses come from X-Forwarded-For, as behind a proxy
    resetEnvForTests();
    forgetHighDemandForTests();
  });
  afterEach(() => {
    delete process.env.TRUSTED_PROXIES;
    resetEnvForTests();
    forgetHighDemandForTests();
  });

  const signUpFrom = (ip: string, headers: Record<string, string> = {}) =>
    call(authPost, {
      method: 'POST',
      url: '/api/auth/sign-up/email',
      body: {
        email: `script-${crypto.randomUUID().slice(0, 12)}@example.test`,
        password: 'correct horse battery staple',
        name: 'Script',
      },
      headers: { 'x-forwarded-for': ip, ...headers },
    });

  it('limits sign-ups per address', async () => {
    const from = address();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await signUpFrom(from)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    const refused = await signUpFrom(from);
    expect(refused).toMatchObject({ status: 429, body: { code: 'RATE_LIMITED', policy: 'sign-up' } });
    expect((await signUpFrom(address())).status).toBe(200);
  });

  it('limits holds per address and event: a farm of accounts behind one address cannot sweep the map', async () => {
    const budget = RATE_LIMITS.holds.perIpAndScope.limit;
    const { event } = await createOnSaleEvent(handle().db, { rows: Math.ceil((budget + 2) / 10), seatsPerRow: 10 });
    const { event: other } = await createOnSaleEvent(handle().db, { rows: 1, seatsPerRow: 5 });
    const seats = await seatIdsOf(handle(), event.id);
    const accounts = await createUsers(handle().db, budget + 2);
    const cookies = await sessionCookies(
      handle().db,
      accounts.map((a) => a.id),
    );
    const from = address();
    const hold = async (i: number, eventId: string, seatIds: number[]) =>
      call(holdRoute, {
        method: 'POST',
        params: { id: eventId },
        cookie: await admittedCookie(cookies[i]!, eventId, accounts[i]!.id),
        body: { seatIds },
        headers: { 'x-forwarded-for': from },
      });
    const statuses: number[] = [];
    for (let i = 0; i < budget; i++) statuses.push((await hold(i, event.id, [seats[i]!])).status);
    expect(statuses).toEqual(Array(budget).fill(201));
    expect(await hold(budget, event.id, [seats[budget]!])).toMatchObject({
      status: 429,
      body: { code: 'RATE_LIMITED', policy: 'holds' },
    });
    // The same address on another event, and another address on this one, are not affected.
    const otherSeats = await seatIdsOf(handle(), other.id);
    expect((await hold(budget + 1, other.id, [otherSeats[0]!])).status).toBe(201);
    const elsewhere = await call(holdRoute, {
      method: 'POST',
      params: { id: event.id },
      cookie: await admittedCookie(cookies[budget]!, event.id, accounts[budget]!.id),
      body: { seatIds: [seats[budget + 1]!] },
      headers: { 'x-forwarded-for': address() },
    });
    expect(elsewhere.status).toBe(201);
  });

  it('asks for a proof of work to join the waiting room of a high-demand event, good for one join of one account', async () => {
    const { event } = await createOnSaleEvent(handle().db, { event: { highDemand: true } });
    const { event: quiet } = await createOnSaleEvent(handle().db);
    const [alice, bob] = await createUsers(handle().db, 2);
    const [aliceCookie, bobCookie] = await sessionCookies(handle().db, [alice!.id, bob!.id]);
    const join = (cookie: string, eventId: string, proof?: string) =>
      call(joinRoute, {
        method: 'POST',
        params: { id: eventId },
        cookie,
        headers: { 'x-forwarded-for': address(), ...(proof ? { 'x-admitone-pow': proof } : {}) },
      });

    const asked = await join(aliceCookie!, event.id);
    expect(asked).toMatchObject({
      status: 428,
      body: { code: 'PROOF_OF_WORK_REQUIRED', header: 'x-admitone-pow', challenge: expect.stringMatching(/^pow1\./) },
    });
    const proof = await solveChallenge((asked.body as { challenge: string }).challenge);
    // Bob cannot use the proof Alice's browser worked out, and nobody can use it twice.
    expect((await join(bobCookie!, event.id, proof)).status).toBe(428);
    expect((await join(aliceCookie!, event.id, proof)).status).toBe(200);
    expect((await join(aliceCookie!, event.id, proof)).status).toBe(428);
    // An event that is not high demand asks for nothing.
    expect((await join(bobCookie!, quiet.id)).status).toBe(200);
  });

  it('asks for a proof of work at sign-up while a high-demand sale is coming; a form without JavaScript gets a small budget instead', async () => {
    expect((await signUpFrom(address())).status).toBe(200); // no high-demand event yet: nothing asked
    await createOnSaleEvent(handle().db, { event: { highDemand: true } });
    forgetHighDemandForTests();
    const from = address();
    const asked = await signUpFrom(from);
    expect(asked).toMatchObject({ status: 428, body: { code: 'PROOF_OF_WORK_REQUIRED' } });
    const proof = await solveChallenge((asked.body as { challenge: string }).challenge);
    expect((await signUpFrom(from, { 'x-admitone-pow': proof })).status).toBe(200);
    // The form's action with no proof (no JavaScript to solve it): three per address and hour, then 429.
    const ip = address();
    const formSignUp = (proofText: string | null) =>
      guardSignUp({
        email: `form-${crypto.randomUUID().slice(0, 8)}@example.test`,
        ip,
        proof: proofText,
        via: 'form',
      }).then(
        () => 'allowed',
        (e: { extras?: { policy?: string } }) => e.extras?.policy,
      );
    expect([await formSignUp(null), await formSignUp(null), await formSignUp(null)]).toEqual([
      'allowed',
      'allowed',
      'allowed',
    ]);
    expect(await formSignUp(null)).toBe('sign-up-unproven');
    // With the proof the page's script solved, the form goes on.
    expect(await formSignUp(await solveChallenge(issueChallenge('sign-up')))).toBe('allowed');
  });

  it('shows accounts that hold and never pay on the dashboard and in the metrics', async () => {
    const { event } = await createOnSaleEvent(handle().db, { rows: 2, seatsPerRow: 10 });
    const seats = await seatIdsOf(handle(), event.id);
    const accounts = await createUsers(handle().db, 3);
    const cookies = await sessionCookies(
      handle().db,
      accounts.map((a) => a.id),
    );
    // Two accounts hold and let go; the third still holds (it may yet pay).
    for (let i = 0; i < 3; i++) {
      const cookie = await admittedCookie(cookies[i]!, event.id, accounts[i]!.id);
      const held = await call(holdRoute, {
        method: 'POST',
        params: { id: event.id },
        cookie,
        body: { seatIds: [seats[i * 3]!, seats[i * 3 + 1]!] },
        headers: { 'x-forwarded-for': address() },
      });
      expect(held.status).toBe(201);
      const holdId = (held.body as HoldResponse).id;
      if (i < 2)
        expect((await call(releaseRoute, { method: 'DELETE', params: { id: holdId }, cookie })).status).toBe(200);
    }
    const dashboard = await getEventDashboard(
      { db: handle().db, queue: getCoordinator().queue, now: () => new Date() },
      event.id,
    );
    expect(dashboard.holds.neverPaid).toEqual({ accounts: 2, holds: 2, seats: 4 });
    const metrics = await connectionContext.run({ clientAddress: '127.0.0.1' }, () => call(metricsRoute, {}));
    expect(metrics.body).toContain(`admitone_hold_never_paid_accounts{event="${event.id}"} 2`);
  });
});
