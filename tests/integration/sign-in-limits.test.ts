import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { POST as authPost } from '@/app/api/auth/[...all]/route';
import { rows } from '@/db/sql';
import { guardSignIn } from '@/lib/auth/auth-limits';
import { trustedDeviceCookie } from '@/lib/auth/trusted-device';
import { MemoryCoordinator } from '@/lib/coordination/memory';
import { resetEnvForTests } from '@/lib/env';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { call, signUp } from '../support/http';

/**
 * Issue 15, item 1: password guessing is limited per account and per address on every path, with a progressive delay
 * and then a short lock that an attacker cannot turn into a long lockout of the account's owner. The form's action is
 * driven the way a script would in tests/integration/security-over-http.test.ts.
 */
describe('sign-in limits', () => {
  const { handle } = useTestDatabase({ reset: false });
  useTestCoordinator();
  const password = 'correct horse battery staple';
  const run = Math.floor(Math.random() * 250);
  let hop = 0;
  const address = () => `203.0.${run}.${(hop++ % 250) + 1}`;

  const signIn = (email: string, pass: string, headers: Record<string, string> = {}) =>
    call(authPost, { method: 'POST', url: '/api/auth/sign-in/email', body: { email, password: pass }, headers });

  afterEach(() => {
    delete process.env.TRUSTED_PROXIES;
    resetEnvForTests();
  });

  it('slows guessing on one account whatever address each guess claims, before the password is checked', async () => {
    process.env.TRUSTED_PROXIES = '127.0.0.1'; // addresses come from X-Forwarded-For, as behind a proxy
    resetEnvForTests();
    const person = await signUp({ password });
    await earlyInAMinute();
    const statuses: number[] = [];
    // The reported attack: a new X-Forwarded-For for every guess.
    for (let i = 0; i < 5; i++)
      statuses.push((await signIn(person.email, `wrong-${i}-password`, { 'x-forwarded-for': address() })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const sixth = await signIn(person.email, 'wrong-6-password', { 'x-forwarded-for': address() });
    expect(sixth).toMatchObject({ status: 429, body: { code: 'RATE_LIMITED', policy: 'sign-in' } });
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    // Refused before the password is looked at: the right one does not get in either, for now.
    expect((await signIn(person.email, password, { 'x-forwarded-for': address() })).status).toBe(429);
  });

  it('keeps one account’s guesses from locking out anybody else, with or without a forwarded address', async () => {
    const victim = await signUp({ password });
    const bystander = await signUp({ password });
    await earlyInAMinute();
    for (let i = 0; i < 7; i++) await signIn(victim.email, `wrong-${i}-password`);
    expect((await signIn(victim.email, 'wrong-8-password')).status).toBe(429);
    // No shared bucket for clients without X-Forwarded-For: the bystander signs in.
    expect((await signIn(bystander.email, password)).status).toBe(200);
  });

  it('limits one address trying many accounts', async () => {
    process.env.TRUSTED_PROXIES = '127.0.0.1';
    resetEnvForTests();
    const from = address();
    await earlyInAMinute();
    const answers: number[] = [];
    for (let i = 0; i < 21; i++)
      answers.push(
        (
          await signIn(`nobody-${run}-${i}-${crypto.randomUUID().slice(0, 6)}@example.test`, 'wrong-password-1', {
            'x-forwarded-for': from,
          })
        ).status,
      );
    expect(answers.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(answers[20]).toBe(429);
    // Another address is not affected.
    expect(
      (await signIn(`nobody-${run}-x@example.test`, 'wrong-password-1', { 'x-forwarded-for': address() })).status,
    ).toBe(401);
  });

  it('locks an account under attack for unknown browsers for at most 15 minutes, audits the lock once, and never locks out its own browsers', async () => {
    // At the start of a fifteen-minute window (the limiter's windows are aligned to the clock).
    let now = Math.ceil(Date.now() / 900_000) * 900_000;
    const coordinator = new MemoryCoordinator(() => now);
    const person = await signUp({ password });
    const attempt = (deviceCookie: string | null = null, ip = '198.51.100.7') =>
      guardSignIn({ email: person.email, ip, deviceCookie }, coordinator).then(
        () => 'allowed',
        (e: { extras?: { policy?: string } }) => e.extras?.policy ?? 'error',
      );
    // Five at full speed, then the per-minute budget: the progressive delay.
    for (let i = 0; i < 5; i++) expect(await attempt()).toBe('allowed');
    expect(await attempt()).toBe('sign-in');
    now += 120_000;
    for (let i = 0; i < 4; i++) expect(await attempt(null, `198.51.100.${20 + i}`)).toBe('allowed');
    // Ten tries in fifteen minutes: locked for browsers it has not signed in from, from any address.
    expect(await attempt(null, '198.51.100.99')).toBe('sign-in-lock');
    // Hammering the lock neither extends it nor writes more audit lines.
    for (let i = 0; i < 40; i++) {
      now += 5_000;
      expect(await attempt(null, `198.51.101.${i}`)).not.toBe('allowed');
    }
    const audited = await rows<{ n: number }>(
      handle().db,
      sql`select count(*)::int as n from audit_log where action = 'auth.sign_in_locked' and entity_id = ${person.id}`,
    );
    expect(audited[0]!.n).toBe(1);
    // The owner's own browser (its trusted-device cookie from an earlier sign-in) is not locked out.
    const device = /a1\.device=([^;]+)/.exec(trustedDeviceCookie(person.email, null))![1]!;
    expect(await attempt(device)).toBe('allowed');
    // A device cookie of another account, or a forged one, does not help.
    const other = /a1\.device=([^;]+)/.exec(trustedDeviceCookie('someone-else@example.test', null))![1]!;
    expect(await attempt(other)).toBe('sign-in-lock');
    expect(await attempt(`${device.slice(0, -2)}xx`)).toBe('sign-in-lock');
    // At most fifteen minutes after the tries that caused it, whatever happened since, the lock is gone.
    now += 15 * 60_000;
    expect(await attempt()).toBe('allowed');
  });
});

/**
 * The limiter's window slides from one clock minute to the next, weighing the last minute's count by what is left of
 * it: tries that straddle a minute's end are rightly not all counted. A test that counts to a one-minute limit starts
 * early enough in a minute (waiting at most 20 s).
 */
async function earlyInAMinute(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 40_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 50));
}
