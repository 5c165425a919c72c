'use server';

import { isAPIError } from 'better-auth/api';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import type { ActionResult } from '@/lib/contracts/action-result';
import { safeNextPath, signInSchema, signUpSchema } from '@/lib/contracts/auth';
import { AppError } from '@/lib/errors';
import { action } from '@/lib/http/action';
import { clientIp } from '@/lib/ratelimit/client-ip';
import { getAuth } from './auth.server';
import { guardSignIn, guardSignUp } from './auth-limits';
import { passwordProblem } from './password-policy.server';
import { headersForAuth } from './forwarded-headers';
import { TRUSTED_DEVICE_COOKIE, trustedDeviceCookieFor } from './trusted-device';

/**
 * The sign-in and sign-up forms, through action() like every server action: one result shape and one error mapping.
 * The credentials are checked by the JSON API's schemas; `next` (where to go afterwards) is never refused, only
 * replaced by "/" when it is not a path on our own origin. Email and name come back in a refusal (`echo`), so the
 * form rendered again without JavaScript keeps them; the password never does.
 */
const nextPath = z.unknown().transform((value) => safeNextPath(value));
const signInForm = signInSchema.extend({ next: nextPath });
const signUpForm = signUpSchema.extend({
  next: nextPath,
  // The proof of work the page's script solved, if it ran (decision 023); without one, the smaller budget.
  pow: z.unknown().transform((value) => (typeof value === 'string' ? value : null)),
});

/** A form field as text: a missing one is empty, so the schema says "enter ..." rather than "expected a string". */
const field = (form: FormData, name: string) => String(form.get(name) ?? '');

/**
 * better-auth's refusals as our problems, in words for the form; anything else goes on to action()'s mapping (an
 * opaque 500, logged, instead of the library's or the database's message on the page).
 */
function authRefusal(error: unknown): never {
  if (!isAPIError(error) || error.statusCode >= 500) throw error;
  if (error.statusCode === 401)
    throw new AppError(
      'UNAUTHENTICATED',
      'That email and password do not match an account. Check them, or create an account.',
    );
  if (String(error.body?.code ?? '').includes('USER_ALREADY_EXISTS'))
    throw new AppError('CONFLICT', 'An account with this email already exists. Sign in instead.');
  throw new AppError(
    error.statusCode === 403 ? 'FORBIDDEN' : error.statusCode === 429 ? 'RATE_LIMITED' : 'VALIDATION_FAILED',
    error.body?.message ?? error.message,
  );
}

/** This browser now knows the password: its later sign-ins have a budget of their own (lib/auth/trusted-device.ts). */
async function trustThisBrowser(email: string, jar: Awaited<ReturnType<typeof cookies>>): Promise<void> {
  const trusted = trustedDeviceCookieFor(email, jar.get(TRUSTED_DEVICE_COOKIE)?.value);
  jar.set(trusted.name, trusted.value, trusted.options);
}

/**
 * The same limits as the JSON endpoint (lib/auth/auth-limits.ts) run before the password is checked: a script
 * posting this action directly is throttled like any other client.
 */
const signIn = action(
  'auth.sign-in-form',
  { input: signInForm, echo: ['email'] },
  async ({ input: { email, password, next }, headers }): Promise<never> => {
    const jar = await cookies();
    await guardSignIn({ email, ip: clientIp(headers), deviceCookie: jar.get(TRUSTED_DEVICE_COOKIE)?.value ?? null });
    const auth = await getAuth();
    await auth.api.signInEmail({ body: { email, password }, headers: headersForAuth(headers) }).catch(authRefusal);
    await trustThisBrowser(email, jar);
    redirect(next);
  },
);

/**
 * The JSON API's rules: name, email and password limits, a password that is hard to guess, per-address budgets and,
 * while a high-demand sale is coming, the proof of work the page's script solved (or a smaller budget without one).
 */
const signUp = action(
  'auth.sign-up-form',
  { input: signUpForm, echo: ['name', 'email'] },
  async ({ input: { name, email, password, next, pow }, headers }): Promise<never> => {
    const weak = passwordProblem(password, { name, email });
    if (weak)
      throw new AppError('VALIDATION_FAILED', `password: ${weak}`, { errors: [{ path: 'password', message: weak }] });
    await guardSignUp({ email, ip: clientIp(headers), proof: pow, via: 'form' });
    const auth = await getAuth();
    await auth.api
      .signUpEmail({ body: { name, email, password }, headers: headersForAuth(headers) })
      .catch(authRefusal);
    await trustThisBrowser(email, await cookies());
    redirect(next);
  },
);

/** The sign-in page's form (components/auth-form.tsx): on success the browser goes to `next`, signed in. */
export async function signInAction(
  _previous: ActionResult<never> | null,
  form: FormData,
): Promise<ActionResult<never>> {
  return signIn({ email: field(form, 'email'), password: field(form, 'password'), next: form.get('next') });
}

/** The sign-up page's form: on success the new account is signed in and the browser goes to `next`. */
export async function signUpAction(
  _previous: ActionResult<never> | null,
  form: FormData,
): Promise<ActionResult<never>> {
  return signUp({
    name: field(form, 'name'),
    email: field(form, 'email'),
    password: field(form, 'password'),
    next: form.get('next'),
    pow: form.get('pow'),
  });
}
