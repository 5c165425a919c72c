import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { POST as authPost } from '@/app/api/auth/[...all]/route';
import { GET as ordersDeskRoute } from '@/app/api/admin/orders/route';
import { GET as searchRoute } from '@/app/api/events/route';
import { POST as transferRoute } from '@/app/api/tickets/[id]/transfer/route';
import { rows } from '@/db/sql';
import { setPaymentProviderForTests } from '@/lib/checkout/get-payment-provider';
import { SimulatedGateway } from '@/lib/checkout/simulated-gateway';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { call, signUp, signUpAdmin } from '../support/http';
import { sessionCookies } from '../support/sessions';
import { buildWorld } from '../fuzz/world';

/**
 * Issue 15, items 14 and 15: odd but valid input gets a 4xx naming the field (dates far in the past or future, a NUL
 * in the orders desk's search), and a display name is held to the form's rules on the API too, and quoted in emails.
 * The admin orders page with the same input: tests/integration/security-over-http.test.ts.
 */
describe('odd input', () => {
  const { handle } = useTestDatabase({ reset: false });
  useTestCoordinator();

  it.each([
    ['from=0001-01-01', 'from'],
    ['to=9999-12-31', 'to'],
    ['from=1899-12-31', 'from'],
    ['to=3000-01-01', 'to'],
    ['from=0000-01-01', 'from'],
  ])('answers %s with 422 naming the field, not a 500', async (query, field) => {
    const res = await call(searchRoute, { url: `/api/events?${query}` });
    expect(res).toMatchObject({ status: 422, body: { code: 'VALIDATION_FAILED', errors: [{ path: field }] } });
  });

  it('still searches the edges of the allowed range', async () => {
    for (const query of ['from=1900-01-01', 'to=2999-12-31', 'from=1970-01-01&to=2038-01-19'])
      expect((await call(searchRoute, { url: `/api/events?${query}` })).status).toBe(200);
  });

  it('answers a NUL or line break in the orders desk search with 422 naming q', async () => {
    const admin = await signUpAdmin(handle().db);
    for (const q of ['%00x', 'ab%0Acd', 'a%00']) {
      const res = await call(ordersDeskRoute, { url: `/api/admin/orders?q=${q}`, cookie: admin.cookie });
      expect(res, q).toMatchObject({ status: 422, body: { code: 'VALIDATION_FAILED', errors: [{ path: 'q' }] } });
    }
  });

  it('holds the API to the sign-up form’s limits on the display name', async () => {
    const signUpWith = (name: string) =>
      call(authPost, {
        method: 'POST',
        url: '/api/auth/sign-up/email',
        body: {
          email: `n-${crypto.randomUUID().slice(0, 10)}@example.test`,
          password: 'correct horse battery staple',
          name,
        },
      });
    const long = await signUpWith(`Mallory\n${'x'.repeat(5_000)}`);
    expect(long).toMatchObject({
      status: 422,
      body: { code: 'VALIDATION_FAILED', errors: expect.arrayContaining([expect.objectContaining({ path: 'name' })]) },
    });
    for (const name of ['Line\nbreak', 'Tab\there', 'NUL\u0000', 'Bidi \u202Eevil', 'x'.repeat(101)])
      expect((await signUpWith(name)).status, JSON.stringify(name)).toBe(422);
    const ok = await signUpWith('  Zoë O’Brien-Łukasz  ');
    expect(ok.status).toBe(200);
    const [stored] = await rows<{ name: string }>(
      handle().db,
      sql`select name from users where id = ${(ok.body as { user: { id: string } }).user.id}`,
    );
    expect(stored!.name).toBe('Zoë O’Brien-Łukasz'); // what the rules checked is what is stored
  });

  it('quotes a legacy multi-line name on one line in the transfer email', async () => {
    setPaymentProviderForTests(new SimulatedGateway({ delayMs: 10 }));
    try {
      const world = await buildWorld(handle(), { others: 1 });
      await handle().db.execute(
        sql`update users set name = ${`Mallory\nSubject: refund\n\nVisit https://evil.example now\n${'y'.repeat(5_000)}`} where id = ${world.owner.id}`,
      );
      const [cookie] = await sessionCookies(handle().db, [world.owner.id]); // a new session reads the name as it is now
      const ticketId = world.ticketIds[0]!;
      const recipient = await signUp();
      const res = await call(transferRoute, {
        method: 'POST',
        url: `/api/tickets/${ticketId}/transfer`,
        params: { id: ticketId },
        cookie: cookie!,
        body: { email: recipient.email },
      });
      expect(res.status).toBe(200);
      const [email] = await rows<{ subject: string; text_body: string }>(
        handle().db,
        sql`select subject, text_body from email_outbox where to_email = ${recipient.email}`,
      );
      expect(email!.subject).not.toMatch(/[\r\n]/);
      expect(email!.text_body.split('\n')[0]).toMatch(
        /^The AdmitOne account holder named “Mallory Subject: refund Visit https:\/\/evil\.example now y+…” is giving you a ticket/,
      );
      expect(email!.text_body.length).toBeLessThan(1_000);
    } finally {
      setPaymentProviderForTests(undefined);
    }
  });
});
