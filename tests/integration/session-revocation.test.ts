import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { POST as authPost } from '@/app/api/auth/[...all]/route';
import { GET as listOrders } from '@/app/api/orders/route';
import { POST as signOutRoute } from '@/app/sign-out/route';
import { resetRevocationsForTests } from '@/lib/auth/session-revocation';
import { getViewer } from '@/lib/auth/viewer';
import { useTestDatabase } from '../support/database';
import { call, signUp } from '../support/http';

/**
 * Issue 15, item 9: a stolen session token and its signed session-data cookie stop working when their owner signs
 * out: at once on the instance that signed out, within seconds on every other. Two real processes sharing one
 * database: tests/integration/security-over-http.test.ts.
 */
describe('signing out revokes the session everywhere', () => {
  useTestDatabase({ reset: false });

  const orders = (cookie: string) =>
    listOrders(new NextRequest('http://localhost:3000/api/orders', { headers: { cookie } }), {
      params: Promise.resolve({}),
    });

  it('refuses the stolen cookies at once on the instance that signed out, though the signed cache is still fresh', async () => {
    const person = await signUp();
    expect(person.cookie).toMatch(/session_data=/);
    const stolen = person.cookie;
    expect((await orders(stolen)).status).toBe(200);
    const out = await call(authPost, { method: 'POST', url: '/api/auth/sign-out', cookie: person.cookie, body: {} });
    expect(out.status).toBe(200);
    expect((await orders(stolen)).status).toBe(401);
    expect(await getViewer(new Headers({ cookie: stolen }))).toBeNull();
  });

  it('also through the header’s sign-out form', async () => {
    const person = await signUp();
    const stolen = person.cookie;
    expect((await orders(stolen)).status).toBe(200);
    const out = await signOutRoute(
      new NextRequest('http://localhost:3000/sign-out', {
        method: 'POST',
        headers: {
          cookie: person.cookie,
          origin: 'http://localhost:3000',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: '',
      }),
      { params: Promise.resolve({}) },
    );
    expect(out.status).toBe(303);
    expect((await orders(stolen)).status).toBe(401);
  });

  it('reaches an instance that had the session verified and cached, within seconds', async () => {
    const person = await signUp();
    const stolen = person.cookie;
    expect(await getViewer(new Headers({ cookie: stolen }))).not.toBeNull(); // this "other instance" trusts it now
    await call(authPost, { method: 'POST', url: '/api/auth/sign-out', cookie: person.cookie, body: {} });
    // Forget what this process learnt from the sign-out, as another instance never heard of it, but keep its caches.
    resetRevocationsForTests();
    const started = Date.now();
    await expect.poll(async () => (await orders(stolen)).status, { timeout: 5_000, interval: 200 }).toBe(401);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('leaves the other sessions of the same account alone', async () => {
    const password = 'correct horse battery staple';
    const person = await signUp({ password });
    const second = await call(authPost, {
      method: 'POST',
      url: '/api/auth/sign-in/email',
      body: { email: person.email, password },
    });
    expect(second.status).toBe(200);
    const otherBrowser = second.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    await call(authPost, { method: 'POST', url: '/api/auth/sign-out', cookie: person.cookie, body: {} });
    expect((await orders(person.cookie)).status).toBe(401);
    expect((await orders(otherBrowser)).status).toBe(200);
  });
});
