import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { GET as listOrders } from '@/app/api/orders/route';
import { readSessionCache } from '@/lib/auth/session-cache';
import { getViewer } from '@/lib/auth/viewer';
import { useTestDatabase } from '../support/database';
import { signUp } from '../support/http';

describe('reading the viewer from cookies', () => {
  useTestDatabase();

  const swap = (cookie: string, name: string, value: (v: string) => string) =>
    cookie
      .split('; ')
      .map((c) => (c.startsWith(`${name}=`) ? `${name}=${value(c.slice(name.length + 1))}` : c))
      .join('; ');

  it('reads a signed-in person from the session cookies', async () => {
    const person = await signUp({ name: 'Cookie Reader' });
    expect(await getViewer(new Headers({ cookie: person.cookie }))).toMatchObject({
      id: person.id,
      email: person.email,
      name: 'Cookie Reader',
      role: 'customer',
    });
  });

  it('verifies better-auth’s own session cache cookie with its secret, and nothing else', async () => {
    const person = await signUp();
    const data = person.cookie
      .split('; ')
      .find((c) => c.startsWith('better-auth.session_data='))!
      .split('=')[1]!;
    const secret = process.env.AUTH_SECRET!;
    expect(readSessionCache(data, secret)).toMatchObject({ user: { id: person.id, email: person.email } });
    expect(readSessionCache(data, `${secret}x`)).toBeNull();
    expect(readSessionCache(data, secret, Date.now() + 10 * 60_000)).toBeNull(); // past the cache's five minutes
    expect(readSessionCache('not-base64-json', secret)).toBeNull();
  });

  it('does not trust a session cache that belongs to another session or was altered', async () => {
    const alice = await signUp();
    const bob = await signUp();
    const bobsData = bob.cookie.split('; ').find((c) => c.startsWith('better-auth.session_data='))!;
    // Alice's token with Bob's cache: the full check runs and finds Alice, not Bob.
    const mixed = `${alice.cookie.split('; ').find((c) => c.startsWith('better-auth.session_token='))}; ${bobsData}`;
    expect((await getViewer(new Headers({ cookie: mixed })))?.id).toBe(alice.id);
    // A tampered cache with a made-up token is nobody.
    const forged = swap(bob.cookie, 'better-auth.session_token', () => 'made-up-token.signature');
    expect(
      await getViewer(
        new Headers({ cookie: swap(forged, 'better-auth.session_data', (v) => v.slice(0, -4) + 'AAAA') }),
      ),
    ).toBeNull();
    expect(await getViewer(new Headers({ cookie: 'better-auth.session_token=nonsense' }))).toBeNull();
    // A well-formed cache claiming to be an admin, but not signed with our secret, is not trusted.
    const data = bob.cookie
      .split('; ')
      .find((c) => c.startsWith('better-auth.session_data='))!
      .split('=')[1]!;
    const payload = JSON.parse(Buffer.from(decodeURIComponent(data), 'base64url').toString('utf8'));
    payload.session.user.role = 'admin';
    const resigned = swap(bob.cookie, 'better-auth.session_data', () =>
      Buffer.from(JSON.stringify(payload)).toString('base64url'),
    );
    expect(await getViewer(new Headers({ cookie: resigned }))).toMatchObject({ id: bob.id, role: 'customer' });
    expect(await getViewer(new Headers())).toBeNull();
  });

  it('gives a buyer whose session cache ran out a fresh one with the answer, so the next requests skip the database', async () => {
    const person = await signUp();
    // Twenty minutes in a waiting room: the five-minute cache is gone (here: not sent at all).
    const tokenOnly = person.cookie.split('; ').find((c) => c.startsWith('better-auth.session_token='))!;
    const response = await listOrders(
      new NextRequest('http://localhost/api/orders', { headers: { cookie: tokenOnly } }),
      { params: Promise.resolve({}) },
    );
    expect(response.status).toBe(200);
    const refreshed = response.headers.getSetCookie().find((c) => c.startsWith('better-auth.session_data='));
    expect(refreshed).toMatch(/HttpOnly/i);
    const data = refreshed!.slice('better-auth.session_data='.length).split(';')[0]!;
    expect(readSessionCache(data, process.env.AUTH_SECRET!)).toMatchObject({ user: { id: person.id } });
    // A request whose cache is still good gets no cookie, and a refused one gets none either.
    const fresh = await listOrders(
      new NextRequest('http://localhost/api/orders', { headers: { cookie: person.cookie } }),
      { params: Promise.resolve({}) },
    );
    expect(fresh.headers.getSetCookie().filter((c) => c.startsWith('better-auth.'))).toEqual([]);
    const stranger = await listOrders(
      new NextRequest('http://localhost/api/orders', { headers: { cookie: 'better-auth.session_token=nonsense' } }),
      { params: Promise.resolve({}) },
    );
    expect(stranger.status).toBe(401);
    expect(stranger.headers.getSetCookie()).toEqual([]);
  });
});
