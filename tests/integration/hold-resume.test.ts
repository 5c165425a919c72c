import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as holdRoute } from '@/app/api/events/[id]/holds/route';
import { DELETE as releaseRoute, GET as getHoldRoute } from '@/app/api/holds/[id]/route';
import { POST as resumeRoute } from '@/app/api/holds/[id]/resume/route';
import { getAuth } from '@/lib/auth/auth.server';
import { setPaymentProviderForTests } from '@/lib/checkout/get-payment-provider';
import { SimulatedGateway } from '@/lib/checkout/simulated-gateway';
import type { HoldResponse } from '@/lib/contracts/inventory';
import { forgetAvailability, forgetSaleRules } from '@/lib/inventory';
import { carriedAdmission } from '@/lib/queue/admission';
import { admissionCookieName } from '@/lib/queue/cookies';
import { cookiePair, withCookies } from '../support/browsers';
import { admitted } from '../support/checkout';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent } from '../support/fixtures';
import { call, signUp, signUpAdmin } from '../support/http';
import { seatIdsOf } from '../support/inventory';
import { payThroughRoute } from '../support/pay';

/**
 * Issue 16 item 3: a checkout link opened in another browser of the same account. Only the hold's owner may resume
 * it there (POST /api/holds/{id}/resume admits that browser session to the event until the hold ends) or release it;
 * the admission it gets works in that session only, and for nobody else.
 */
describe('resuming and releasing a hold from another browser', () => {
  const { handle } = useTestDatabase();
  useTestCoordinator();
  beforeAll(() => setPaymentProviderForTests(new SimulatedGateway()));
  afterAll(() => setPaymentProviderForTests(undefined));

  const password = 'correct horse battery staple';
  /** The same account signed in a second time: another browser, another session cookie, no admission. */
  async function secondBrowser(email: string): Promise<string> {
    const response = await (await getAuth()).api.signInEmail({ body: { email, password }, asResponse: true });
    return response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
  }

  async function setup() {
    forgetSaleRules();
    forgetAvailability();
    const { event } = await createOnSaleEvent(handle().db, { rows: 2, seatsPerRow: 10 });
    const seats = await seatIdsOf(handle(), event.id);
    const owner = await signUp({ password });
    const first = await admitted(owner, event.id);
    const held = await call(holdRoute, {
      method: 'POST',
      params: { id: event.id },
      cookie: first,
      body: { seatIds: seats.slice(0, 2) },
    });
    expect(held.status).toBe(201);
    return { event, owner, first, hold: held.body as HoldResponse };
  }
  const pay = (cookie: string, holdId: string) => payThroughRoute(cookie, holdId);
  const resume = (cookie: string | undefined, holdId: string) =>
    call(resumeRoute, { method: 'POST', params: { id: holdId }, cookie });

  it('lets the owner resume in another browser without queueing again, and pay there', async () => {
    const { event, owner, hold } = await setup();
    const other = await secondBrowser(owner.email);
    // Without a turn in this browser, paying is refused (what sent the buyer to /events before).
    expect((await pay(other, hold.id)).body).toMatchObject({ code: 'QUEUE_TOKEN_REQUIRED' });

    const resumed = await resume(other, hold.id);
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({
      holdId: hold.id,
      eventId: event.id,
      checkoutUrl: `/checkout/${hold.id}`,
      expiresAt: hold.expiresAt,
    });
    const [name, token] = cookiePair(resumed.headers.get('set-cookie'));
    expect(name).toBe(admissionCookieName(event.id));
    expect(resumed.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Lax/);
    const cookie = withCookies(other, { [name]: token });
    // The admission lasts as long as the hold, no longer.
    const claims = await carriedAdmission(cookie, event.id, owner.id, Date.now());
    expect(claims?.exp).toBe(Math.floor(Date.parse(hold.expiresAt) / 1000));

    const paid = await pay(cookie, hold.id);
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({ outcome: 'paid' });
    // Paid: nothing left to resume.
    expect((await resume(cookie, hold.id)).body).toMatchObject({ status: 409, code: 'HOLD_NOT_ACTIVE' });
  });

  it('lets the owner release from another browser', async () => {
    const { owner, hold } = await setup();
    const other = await secondBrowser(owner.email);
    expect((await call(releaseRoute, { method: 'DELETE', params: { id: hold.id }, cookie: other })).body).toEqual({
      released: 2,
    });
    expect((await resume(other, hold.id)).body).toMatchObject({ code: 'HOLD_NOT_ACTIVE' });
  });

  it('refuses everyone else: another account (even admitted to the event), an admin, the signed-out', async () => {
    const { event, first, hold } = await setup();
    const stranger = await signUp();
    const strangerAdmitted = await admitted(stranger, event.id);
    const admin = await signUpAdmin(handle().db);
    for (const cookie of [stranger.cookie, strangerAdmitted, admin.cookie]) {
      const res = await resume(cookie, hold.id);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'NOT_FOUND' });
      expect(res.headers.get('set-cookie')).toBeNull();
      expect((await call(releaseRoute, { method: 'DELETE', params: { id: hold.id }, cookie })).status).toBe(404);
    }
    expect((await resume(undefined, hold.id)).status).toBe(401);
    expect((await resume(stranger.cookie, 'not-a-hold')).status).toBe(404);
    // Still the owner's, still running.
    expect((await call(getHoldRoute, { params: { id: hold.id }, cookie: first })).body).toMatchObject({
      status: 'active',
    });
  });

  it('binds the resumed admission to the session that asked: copied into another account’s browser it does not pay', async () => {
    const { event, owner, hold } = await setup();
    const other = await secondBrowser(owner.email);
    const [name, token] = cookiePair((await resume(other, hold.id)).headers.get('set-cookie'));
    const stranger = await signUp();
    const copied = withCookies(stranger.cookie, { [name]: token });
    expect(await carriedAdmission(copied, event.id, stranger.id, Date.now())).toBeNull();
    expect((await pay(copied, hold.id)).status).toBeGreaterThanOrEqual(403);
  });
});
