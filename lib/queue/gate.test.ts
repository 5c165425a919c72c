import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { middleware } from '@/middleware';
import { admissionKey, sessionBinding, signAdmissionToken, type AdmissionClaims } from '@/lib/queue/admission-token';
import { admissionCookieName } from '@/lib/queue/cookies';
import { gate, gateTarget } from '@/lib/queue/gate';

const SECRET = process.env.QUEUE_TOKEN_SECRET!;
const EVENT = '11111111-2222-4333-8444-555555555555';
const OTHER_EVENT = '99999999-2222-4333-8444-555555555555';
const SESSION = 'sessiontoken123.c2lnbmF0dXJl%2Bmore%3D';
const nowMs = Date.now();

async function token(overrides: Partial<AdmissionClaims> = {}, secret = SECRET, session = SESSION) {
  const claims: AdmissionClaims = {
    ev: EVENT,
    vid: 'qAbCdEfGhIjKlMnO',
    sub: 'account-1',
    sh: sessionBinding(session),
    exp: Math.floor(nowMs / 1000) + 600,
    ...overrides,
  };
  return signAdmissionToken(claims, await admissionKey(secret));
}

const cookies = (entries: Record<string, string>) =>
  Object.entries(entries)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
const withSession = (admission: Record<string, string>, session = SESSION) =>
  cookies({ 'better-auth.session_token': session, ...admission });

describe('gate', () => {
  it('knows which paths it guards', () => {
    expect(gateTarget(`/events/${EVENT}/seats`)).toEqual({ kind: 'event', eventId: EVENT });
    expect(gateTarget(`/events/${EVENT.toUpperCase()}/seats/section/101`)).toEqual({ kind: 'event', eventId: EVENT });
    expect(gateTarget('/checkout/0b1c2d3e-0000-4000-8000-000000000000')).toEqual({ kind: 'checkout' });
    expect(gateTarget(`/events/${EVENT}`)).toBeNull();
    expect(gateTarget(`/events/${EVENT}/queue`)).toBeNull();
    expect(gateTarget(`/events/${EVENT}/seatsx`)).toBeNull();
    expect(gateTarget('/checkoutx')).toBeNull();
  });

  it('lets a valid admission through and sends everyone else to the queue', async () => {
    const key = await admissionKey(SECRET);
    const path = `/events/${EVENT}/seats`;
    const good = await token();
    const queue = `/events/${EVENT}/queue`;
    expect(await gate(path, withSession({ [admissionCookieName(EVENT)]: good }), key, nowMs)).toEqual({
      allow: true,
      eventId: EVENT,
    });

    const cases: [string, string | null, string][] = [
      ['no token', withSession({}), 'no-token'],
      ['no session', cookies({ [admissionCookieName(EVENT)]: good }), 'no-session'],
      [
        'an expired token',
        withSession({ [admissionCookieName(EVENT)]: await token({ exp: Math.floor(nowMs / 1000) - 1 }) }),
        'invalid',
      ],
      [
        'a token for another event',
        withSession({ [admissionCookieName(EVENT)]: await token({ ev: OTHER_EVENT }) }),
        'other-event',
      ],
      [
        'a token signed with another key',
        withSession({ [admissionCookieName(EVENT)]: await token({}, 'another-secret-that-is-long-enough-0123456789') }),
        'invalid',
      ],
      [
        "another person's token (copied cookie, other session)",
        withSession({ [admissionCookieName(EVENT)]: good }, 'someone-elses-session.sig'),
        'other-session',
      ],
      [
        'a tampered token',
        withSession({ [admissionCookieName(EVENT)]: good.slice(0, -3) + (good.endsWith('AAA') ? 'BBB' : 'AAA') }),
        'invalid',
      ],
      ['garbage', withSession({ [admissionCookieName(EVENT)]: 'not.a.jwt' }), 'invalid'],
      ['no cookies at all', null, 'no-token'],
    ];
    for (const [label, header, reason] of cases) {
      expect(await gate(path, header, key, nowMs), label).toEqual({ allow: false, redirectTo: queue, reason });
    }
  });

  it('stops honouring a remembered token once it expires', async () => {
    const key = await admissionKey(SECRET);
    const short = await token({ exp: Math.floor(nowMs / 1000) + 2 });
    const header = withSession({ [admissionCookieName(EVENT)]: short });
    const path = `/events/${EVENT}/seats`;
    expect((await gate(path, header, key, nowMs)).allow).toBe(true);
    expect((await gate(path, header, key, nowMs + 1_000)).allow).toBe(true);
    expect(await gate(path, header, key, nowMs + 3_000)).toMatchObject({ allow: false, reason: 'invalid' });
  });

  it('lets checkout through with any valid admission of this session, else back to the events', async () => {
    const key = await admissionKey(SECRET);
    const path = '/checkout/0b1c2d3e-0000-4000-8000-000000000000';
    const other = await token({ ev: OTHER_EVENT });
    expect(
      await gate(
        path,
        withSession({ [admissionCookieName(EVENT)]: 'junk', [admissionCookieName(OTHER_EVENT)]: other }),
        key,
        nowMs,
      ),
    ).toEqual({ allow: true, eventId: OTHER_EVENT });
    expect(await gate(path, withSession({}), key, nowMs)).toEqual({
      allow: false,
      redirectTo: '/orders#held-seats',
      reason: 'no-token',
    });
    expect(await gate(path, withSession({ [admissionCookieName(EVENT)]: other }), key, nowMs)).toEqual({
      allow: false,
      redirectTo: '/orders#held-seats',
      reason: 'other-event',
    });
    expect(
      await gate(path, withSession({ [admissionCookieName(OTHER_EVENT)]: other }, 'other.session'), key, nowMs),
    ).toMatchObject({ allow: false, reason: 'other-session' });
  });

  it('runs as the middleware: 307 to the queue without a token, through with one', async () => {
    const url = `http://localhost:3000/events/${EVENT}/seats`;
    const denied = await middleware(new NextRequest(url, { headers: { cookie: withSession({}) } }));
    expect(denied.status).toBe(307);
    expect(denied.headers.get('location')).toBe(`http://localhost:3000/events/${EVENT}/queue`);
    expect(denied.headers.get('x-admitone-gate')).toBe('no-token');
    const allowed = await middleware(
      new NextRequest(url, { headers: { cookie: withSession({ [admissionCookieName(EVENT)]: await token() }) } }),
    );
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('x-middleware-next')).toBe('1');
    const checkout = await middleware(
      new NextRequest('http://localhost:3000/checkout/abc', { headers: { cookie: withSession({}) } }),
    );
    expect(checkout.headers.get('location')).toBe('http://localhost:3000/orders#held-seats');
  });
});
