import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '@/db/sql';
import type { CheckoutResult, TicketDetails } from '@/lib/contracts/checkout';
import type { HoldResponse } from '@/lib/contracts/inventory';
import { ensureBuilt, startAppServer, TEST_SECRETS, type AppServer } from '../support/app-server';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createUser, createUsers } from '../support/fixtures';
import { seatIdsOf } from '../support/inventory';
import { sessionCookies, signedSessionCookies, withSetCookies } from '../support/sessions';
import { realDatabaseUrl, realRedisUrl, withDatabase } from '../support/services';

const PORT = Number(process.env.SECRETS_LOG_TEST_PORT ?? 3431);

/**
 * The built app at LOG_LEVEL=debug, driven through sign-up, sign-in (right and wrong password), the waiting room, a
 * hold, a checkout with the simulated gateway, a ticket with its signed code, bad requests carrying card numbers and
 * secrets: none of the secrets it saw may appear anywhere in its output.
 */
describe.skipIf(!realDatabaseUrl || !realRedisUrl)('secrets never reach the logs', () => {
  const { handle, url } = useTestDatabase({ reset: false });
  let server: AppServer;
  beforeAll(async () => {
    await ensureBuilt();
    server = await startAppServer(PORT, {
      DATABASE_URL: url(),
      REDIS_URL: realRedisUrl!,
      LOG_LEVEL: 'debug',
      APP_URL: `http://localhost:${PORT}`,
    });
  }, 400_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('keeps passwords, session and admission tokens, ticket codes, card data, keys and secrets out of the output', async () => {
    const { event } = await createOnSaleEvent(handle().db, { rows: 2, seatsPerRow: 5 });
    const seats = await seatIdsOf(handle(), event.id);
    const origin = `http://localhost:${PORT}`;
    const api = (path: string, init: RequestInit & { cookie?: string } = {}) =>
      fetch(`${origin}${path}`, {
        ...init,
        headers: {
          origin,
          'content-type': 'application/json',
          'x-forwarded-for': '203.0.113.77',
          ...(init.cookie ? { cookie: init.cookie } : {}),
          ...init.headers,
        },
      });

    const email = `logs-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const password = `Pw-${crypto.randomUUID()}`;
    const signUp = await api('/api/auth/sign-up/email', {
      method: 'POST',
      body: JSON.stringify({ email, password, name: 'Log Reader' }),
    });
    expect(signUp.status).toBe(200);
    const wrongPassword = `Wrong-${crypto.randomUUID()}`;
    expect(
      (
        await api('/api/auth/sign-in/email', {
          method: 'POST',
          body: JSON.stringify({ email, password: wrongPassword }),
        })
      ).status,
    ).toBe(401);
    const signIn = await api('/api/auth/sign-in/email', { method: 'POST', body: JSON.stringify({ email, password }) });
    expect(signIn.status).toBe(200);
    let cookie = withSetCookies('', signIn);
    expect(cookie).toMatch(/session_token=/);

    const joined = await api(`/api/events/${event.id}/queue`, { method: 'POST', cookie });
    expect(joined.status).toBe(200);
    cookie = withSetCookies(cookie, joined);
    const admission = /a1q\.[^=]+=([^;]+)/.exec(cookie)?.[1];
    expect(admission, 'the queue admitted at once and set the admission cookie').toBeTruthy();

    const held = await api(`/api/events/${event.id}/holds`, {
      method: 'POST',
      cookie,
      body: JSON.stringify({ seatIds: seats.slice(0, 2) }),
    });
    expect(held.status).toBe(201);
    const hold = (await held.json()) as HoldResponse;

    const idempotencyKey = `idem-${crypto.randomUUID()}`;
    // Card data never belongs in our API; a client that sends it anyway must not get it logged.
    const cardNumber = '4242424242424242';
    const withCard = await api('/api/checkout', {
      method: 'POST',
      cookie,
      headers: { 'idempotency-key': `card-${crypto.randomUUID()}` },
      body: JSON.stringify({
        holdId: hold.id,
        paymentMethodId: 'pm_card_visa',
        card: { number: cardNumber, cvc: '314' },
      }),
    });
    expect(withCard.status).toBe(422);
    const paid = await api('/api/checkout', {
      method: 'POST',
      cookie,
      headers: { 'idempotency-key': idempotencyKey },
      body: JSON.stringify({ holdId: hold.id, paymentMethodId: 'pm_card_visa' }),
    });
    expect(paid.status).toBe(201);
    const order = (await paid.json()) as CheckoutResult;
    const ticket = (await (await api(`/api/tickets/${order.ticketIds[0]}`, { cookie })).json()) as TicketDetails;
    expect(ticket.code).toBeTruthy();

    // Secrets sent where they do not belong, and a cron call with the real and a wrong secret.
    await api('/api/cron/sweep-holds', {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_SECRETS.CRON_SECRET}` },
    });
    const wrongCron = `Bearer wrong-${crypto.randomUUID()}`;
    expect((await api('/api/cron/sweep-holds', { method: 'POST', headers: { authorization: wrongCron } })).status).toBe(
      401,
    );
    expect((await api(`/api/holds/not-a-hold?token=${encodeURIComponent(admission!)}`, { cookie })).status).toBe(404);
    await api('/api/auth/sign-out', { method: 'POST', cookie, body: '{}' });

    await new Promise((r) => setTimeout(r, 500)); // let the last lines flush
    const output = server.output();
    // The server did log these flows (a silent server would pass trivially).
    expect(output).toMatch(/"route":"checkout.create"/);
    expect(output).toMatch(/"level":20/);

    const sessionToken = decodeURIComponent(/session_token=([^;]+)/.exec(cookie)![1]!).split('.')[0]!;
    const sessionData = /session_data=([^;]+)/.exec(cookie)?.[1];
    const secrets: Record<string, string | undefined> = {
      password,
      'wrong password': wrongPassword,
      'session token': sessionToken,
      'session data cookie': sessionData?.slice(0, 40),
      'admission token': admission,
      'admission token signature': admission?.split('.')[2],
      'ticket code': ticket.code ?? undefined,
      'card number': cardNumber,
      'Idempotency-Key': idempotencyKey,
      'cron secret': TEST_SECRETS.CRON_SECRET,
      'wrong cron secret': wrongCron,
      'auth secret': TEST_SECRETS.AUTH_SECRET,
      'queue token secret': TEST_SECRETS.QUEUE_TOKEN_SECRET,
      'ticket key secret': TEST_SECRETS.TICKET_KEY_SECRET,
    };
    const leaked = Object.entries(secrets)
      .filter(([, value]) => value && output.includes(value))
      .map(([name]) => name);
    expect(
      leaked,
      `these appeared in the server output:\n${leaked
        .map(
          (n) =>
            `${n}: ${output
              .split('\n')
              .find((l) => l.includes(secrets[n]!))
              ?.slice(0, 300)}`,
        )
        .join('\n')}`,
    ).toEqual([]);
  });

  it('sets HttpOnly SameSite cookies and the security headers, and carries the request id into the logs', async () => {
    const origin = `http://localhost:${PORT}`;
    const { event } = await createOnSaleEvent(handle().db, { rows: 1, seatsPerRow: 4 });
    const email = `cookies-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const signUp = await fetch(`${origin}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'correct horse battery staple', name: 'Cookie' }),
    });
    const sessionCookies = signUp.headers.getSetCookie().filter((c) => c.includes('session_token='));
    expect(sessionCookies).toHaveLength(1);
    for (const c of sessionCookies) {
      expect(c).toMatch(/;\s*HttpOnly/i);
      expect(c).toMatch(/;\s*SameSite=Lax/i);
    }
    const joined = await fetch(`${origin}/api/events/${event.id}/queue`, {
      method: 'POST',
      headers: { origin, cookie: withSetCookies('', signUp), 'x-forwarded-for': '203.0.113.78' },
    });
    const admission = joined.headers.getSetCookie().find((c) => c.startsWith('a1q.'));
    expect(admission).toMatch(/;\s*HttpOnly/i);
    expect(admission).toMatch(/;\s*SameSite=Lax/i);

    const page = await fetch(`${origin}/`, { headers: { 'x-forwarded-proto': 'https' } });
    await page.arrayBuffer();
    const csp = page.headers.get('content-security-policy') ?? '';
    const scripts = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
    expect(scripts).toMatch(/'nonce-[^']+'/);
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');

    const requestId = `trace-${crypto.randomUUID()}`;
    const refused = await fetch(`${origin}/api/orders`, { headers: { 'x-request-id': requestId } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-request-id')).toBe(requestId);
    await new Promise((r) => setTimeout(r, 300));
    const line = server
      .output()
      .split('\n')
      .find((l) => l.includes(requestId));
    expect(line, 'a JSON log line with the request id').toBeTruthy();
    expect(JSON.parse(line!)).toMatchObject({ requestId, route: 'orders.list', status: 401 });
  });

  /**
   * Issue 15, item 12: warning and error lines are where request data used to leak (the request context with the
   * Set-Cookie values it carries for the response, a failed statement's parameters). Forty requests at once that each
   * write a warning, then forty that each write an error while the database is unreachable, every one carrying a
   * session, an Authorization header, an Idempotency-Key and a card number: none of it may reach the output.
   */
  // One retry: a clean-clone CI run on a loaded machine once timed out here (it passes in 1-3 s, also beside three busy
  // loops); each request now ends by itself after 30 s, so a hang names its request instead of the test's timeout.
  it('keeps secrets out of warning and error lines under load', { timeout: 120_000, retry: 1 }, async () => {
    const origin = `http://localhost:${PORT}`;
    const { event } = await createOnSaleEvent(handle().db, { rows: 1, seatsPerRow: 4 });
    const [{ venue_id: venueId }] = (await rows<{ venue_id: string }>(
      handle().db,
      sql`select venue_id from events where id = ${event.id}`,
    )) as [{ venue_id: string }];
    const admin = await createUser(handle().db, { role: 'admin' });
    // Session token only: every request makes better-auth refresh the session cache, a Set-Cookie in the request context.
    const adminCookies = await sessionCookies(handle().db, Array(40).fill(admin.id));
    const cardNumber = '5555555555554444';
    const bearer = `Bearer load-${crypto.randomUUID()}`;
    const keys = adminCookies.map(() => `idem-load-${crypto.randomUUID()}`);
    /** A JSON POST carrying secrets in every header a log could copy. */
    const post = (path: string, cookie: string, key: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${origin}${path}`, {
        method: 'POST',
        headers: {
          origin,
          cookie,
          authorization: bearer,
          'idempotency-key': key,
          'content-type': 'application/json',
          ...headers,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    const startsAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const warned = await Promise.all(
      adminCookies.map((cookie, i) =>
        // PostgreSQL refuses the NUL: a warning whose error once carried every parameter of the statement.
        post('/api/admin/events', cookie, keys[i]!, {
          name: `Load ${i}`,
          performer: 'a\u0000b',
          description: `card ${cardNumber} cvc 737`,
          category: 'concert',
          venueId,
          startsAt,
          onSaleAt: new Date().toISOString(),
          tiers: [{ name: 'All', priceMinor: 1000 }],
        }),
      ),
    );
    expect(warned.map((r) => r.status)).toEqual(Array(40).fill(400));
    const refreshed = warned
      .flatMap((r) => r.headers.getSetCookie())
      .map((c) => /session_data=([^;]+)/.exec(c)?.[1])
      .filter((v): v is string => Boolean(v));
    expect(refreshed.length).toBeGreaterThan(0);

    // Buyers whose signed session cache lets them past authentication with the database gone; then it goes.
    const buyers = await createUsers(handle().db, 40);
    const buyerCookies = await signedSessionCookies(
      handle().db,
      buyers.map((b) => b.id),
    );
    const name = new URL(url()).pathname.slice(1);
    const admin2 = postgres(withDatabase(realDatabaseUrl!, 'postgres'), { max: 1, onnotice: () => {} });
    try {
      await admin2.unsafe(`alter database "${name}" allow_connections false`);
      await admin2.unsafe(
        `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`,
      );
      const failed = await Promise.all(
        buyerCookies.map((cookie, i) =>
          post(
            '/api/checkout',
            cookie,
            keys[i]!,
            { holdId: crypto.randomUUID(), paymentMethodId: 'pm_card_visa' },
            { 'x-forwarded-for': `203.0.113.${i + 100}` },
          ),
        ),
      );
      // 503 (an outage, or shed beyond the in-flight limit), or 500 where the driver's error is not recognised as an
      // outage (55000: not accepting connections).
      expect(failed.filter((r) => r.status >= 500).length).toBe(40);
    } finally {
      await admin2.unsafe(`alter database "${name}" allow_connections true`);
      await admin2.end();
    }

    await new Promise((r) => setTimeout(r, 500));
    const lines = server
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    const levels = (level: number) => lines.filter((l) => (JSON.parse(l) as { level: number }).level === level);
    // The lines this is about were written: warnings for the refused statements, errors for the lost database.
    expect(levels(40).filter((l) => l.includes('PostgreSQL cannot store')).length).toBeGreaterThanOrEqual(40);
    expect(levels(50).filter((l) => l.includes('"route":"checkout.create"')).length).toBeGreaterThanOrEqual(20);
    const output = server.output();
    const secrets: Record<string, string> = {
      'card number': cardNumber,
      authorization: bearer.slice('Bearer '.length),
      'admin session token': decodeURIComponent(/session_token=([^;]+)/.exec(adminCookies[0]!)![1]!).split('.')[0]!,
      'buyer session token': decodeURIComponent(/session_token=([^;]+)/.exec(buyerCookies[0]!)![1]!).split('.')[0]!,
      'buyer session data': /session_data=([^;]+)/.exec(buyerCookies[0]!)![1]!.slice(0, 40),
      ...Object.fromEntries(refreshed.slice(0, 5).map((v, i) => [`refreshed session data ${i}`, v.slice(0, 40)])),
      ...Object.fromEntries(keys.slice(0, 5).map((k, i) => [`Idempotency-Key ${i}`, k])),
    };
    const leaked = Object.entries(secrets).filter(([, value]) => output.includes(value));
    expect(
      leaked.map(
        ([n, v]) =>
          `${n}: ${output
            .split('\n')
            .find((l) => l.includes(v))
            ?.slice(0, 300)}`,
      ),
    ).toEqual([]);
  });
});
