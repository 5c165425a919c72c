import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { setCoordinatorForTests } from '@/lib/coordination';
import { MemoryCoordinator } from '@/lib/coordination/memory';
import type { ActionResult } from '@/lib/contracts/action-result';
import { useTestDatabase } from '../support/database';
import { signUp } from '../support/http';

// The actions read the request's headers and cookies through next/headers: here, a browser with a cookie jar.
const browser = vi.hoisted(() => ({ headers: new Headers(), jar: new Map<string, string>() }));
vi.mock('next/headers', () => ({
  headers: async () => browser.headers,
  cookies: async () => ({
    get: (name: string) => (browser.jar.has(name) ? { name, value: browser.jar.get(name)! } : undefined),
    set: (name: string, value: string) => void browser.jar.set(name, value),
  }),
}));

const { signInAction, signUpAction } = await import('@/lib/auth/actions');

const formOf = (fields: Record<string, string>) => {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return form;
};
/** Where a successful action sent the browser: the path in the redirect Next was asked for. */
const redirectedTo = (outcome: Promise<unknown>) =>
  outcome.then(
    (result) => ({ answered: result }),
    (error: { digest?: string }) => error.digest?.split(';')[2],
  );
/** The result as a refusal (the test fails on a success). */
const refusal = (result: ActionResult<never>) => {
  if (result.ok) throw new Error('expected a refusal');
  return result;
};

/**
 * Issue 17: the sign-in and sign-up forms go through action() like every server action. They answer its one result
 * shape, with the same codes as the JSON API, keep the typed email and name (never the password) for the form
 * rendered again without JavaScript, pass the sign-in limits, and go to a safe `next` on success.
 */
describe('the sign-in and sign-up form actions', () => {
  useTestDatabase({ reset: false });
  const password = 'correct horse battery staple';
  // At the start of a clock minute, standing still: the limiter's one-minute window holds every try of a test.
  const now = Math.floor(Date.now() / 60_000) * 60_000 + 1_000;
  beforeAll(() => setCoordinatorForTests(new MemoryCoordinator(() => now)));
  afterAll(() => setCoordinatorForTests(undefined));
  beforeEach(() => {
    browser.headers = new Headers();
    browser.jar.clear();
  });

  it('signs up, trusts this browser and goes to `next`; an unsafe `next` goes home', async () => {
    const email = `form-${crypto.randomUUID().slice(0, 10)}@example.test`;
    const created = signUpAction(null, formOf({ name: 'Ada Form', email, password, next: '/orders?page=2' }));
    expect(await redirectedTo(created)).toBe('/orders?page=2');
    expect(browser.jar.get('a1.device')).toMatch(/^[\w-]+\.[\w-]{16}\.\d+\.[\w-]+$/);

    browser.jar.clear();
    const signedIn = signInAction(null, formOf({ email, password, next: '/\t/evil.example' }));
    expect(await redirectedTo(signedIn)).toBe('/');
    expect(browser.jar.has('a1.device')).toBe(true);
  });

  it('shows field errors in place and keeps the typed name and email, never the password', async () => {
    const result = refusal(
      await signUpAction(null, formOf({ name: ' ', email: 'not an email', password: 'short-pw', next: '/' })),
    );
    expect(result).toMatchObject({
      problem: { code: 'VALIDATION_FAILED', status: 422 },
      fieldErrors: {
        name: 'enter your name',
        email: 'enter a valid email address',
        password: 'use at least 10 characters',
      },
      values: { name: ' ', email: 'not an email' },
    });
    expect(JSON.stringify(result)).not.toContain('short-pw');
    const missing = refusal(await signInAction(null, formOf({ next: '/' })));
    expect(missing.fieldErrors).toEqual({ email: 'enter a valid email address', password: 'enter your password' });
  });

  it('says why a weak password is refused, beside the password', async () => {
    const weak = 'password123';
    const result = refusal(
      await signUpAction(null, formOf({ name: 'Weak Pass', email: 'weak@example.test', password: weak, next: '/' })),
    );
    expect(result.problem.code).toBe('VALIDATION_FAILED');
    expect(result.fieldErrors?.password).toMatch(/^This password is too easy to guess: .*Use three or four/);
    expect(result.values).toEqual({ name: 'Weak Pass', email: 'weak@example.test' });
    expect(JSON.stringify(result)).not.toContain(weak);
  });

  it('refuses a taken email and a wrong password in the forms’ own words, with the codes the API uses', async () => {
    const person = await signUp({ password });
    const taken = refusal(
      await signUpAction(null, formOf({ name: 'Again', email: person.email, password: 'violet kettle marathon 47' })),
    );
    expect(taken.problem).toMatchObject({
      code: 'CONFLICT',
      detail: 'An account with this email already exists. Sign in instead.',
    });
    expect(taken.values).toEqual({ name: 'Again', email: person.email });
    const wrong = refusal(await signInAction(null, formOf({ email: person.email, password: 'wrong-password-1' })));
    expect(wrong).toEqual({
      ok: false,
      problem: expect.objectContaining({
        code: 'UNAUTHENTICATED',
        status: 401,
        detail: 'That email and password do not match an account. Check them, or create an account.',
      }),
      values: { email: person.email },
    });
  });

  it('passes the sign-in limits: after five wrong tries even the right password waits, told for how long', async () => {
    const person = await signUp({ password });
    for (let i = 0; i < 5; i++)
      expect(
        refusal(await signInAction(null, formOf({ email: person.email, password: `wrong-${i}-pw` }))).problem.code,
      ).toBe('UNAUTHENTICATED');
    const limited = refusal(await signInAction(null, formOf({ email: person.email, password, next: '/orders' })));
    expect(limited.problem).toMatchObject({ code: 'RATE_LIMITED', status: 429, policy: 'sign-in' });
    expect(limited.problem.detail).toMatch(/^Too many sign-in attempts\. Try again in \d+ s\.$/);
    expect(limited.problem.retryAfter).toBeGreaterThan(0);
    expect(limited.values).toEqual({ email: person.email });
    expect(browser.jar.size).toBe(0);
  });
});
