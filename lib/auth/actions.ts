'use server';

import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { z } from 'zod';
import { safeNextPath, signInSchema, signUpSchema } from '@/lib/contracts/auth';
import { issueMessage } from '@/lib/contracts/issue-message';
import { clientIp } from '@/lib/ratelimit/client-ip';
import { getAuth } from './auth.server';
import { guardSignIn, guardSignUp, refusalMessage } from './auth-limits';
import { passwordProblem } from './password-policy.server';
import { headersForAuth } from './forwarded-headers';
import { TRUSTED_DEVICE_COOKIE, trustedDeviceCookieFor } from './trusted-device';

export type AuthFormState = {
  error?: string;
  fieldErrors?: Record<string, string>;
  values?: { name?: string; email?: string };
};

/** One sentence per field, first problem first, in the words the JSON API uses too (never zod's own "Too big: ..."). */
const fieldErrors = (issues: z.core.$ZodIssue[]) => {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? 'form');
    if (out[field]) continue;
    const message = issueMessage(issue);
    out[field] = `${message.charAt(0).toUpperCase()}${message.slice(1)}${/[.!?]$/.test(message) ? '' : '.'}`;
  }
  return out;
};

const messageOf = (error: unknown) => {
  const e = error as { body?: { message?: string }; message?: string };
  return e.body?.message ?? e.message ?? 'Something went wrong. Please try again.';
};

/**
 * The sign-in form. The same limits as the JSON endpoint (lib/auth/auth-limits.ts) run before the password is
 * checked: a script posting this action directly is throttled like any other client.
 */
export async function signInAction(_prev: AuthFormState, form: FormData): Promise<AuthFormState> {
  const raw = { email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') };
  const parsed = signInSchema.safeParse(raw);
  if (!parsed.success) return { fieldErrors: fieldErrors(parsed.error.issues), values: { email: raw.email } };
  const incoming = await headers();
  const jar = await cookies();
  const deviceCookie = jar.get(TRUSTED_DEVICE_COOKIE)?.value ?? null;
  try {
    await guardSignIn({ email: parsed.data.email, ip: clientIp(incoming), deviceCookie });
    const auth = await getAuth();
    await auth.api.signInEmail({ body: parsed.data, headers: headersForAuth(incoming) });
  } catch (error) {
    const refusal = refusalMessage(error);
    if (refusal) return { error: refusal, values: { email: raw.email } };
    const status = (error as { statusCode?: number }).statusCode;
    return {
      error:
        status === 401
          ? 'That email and password do not match an account. Check them, or create an account.'
          : messageOf(error),
      values: { email: raw.email },
    };
  }
  const trusted = trustedDeviceCookieFor(parsed.data.email, deviceCookie);
  jar.set(trusted.name, trusted.value, trusted.options);
  redirect(safeNextPath(form.get('next')));
}

/**
 * The sign-up form: the JSON API's rules (name, email and password limits; per-address budgets; while a high-demand
 * sale is coming, the proof of work the page's script solved, or a smaller budget without one).
 */
export async function signUpAction(_prev: AuthFormState, form: FormData): Promise<AuthFormState> {
  const raw = {
    name: String(form.get('name') ?? ''),
    email: String(form.get('email') ?? ''),
    password: String(form.get('password') ?? ''),
  };
  const parsed = signUpSchema.safeParse(raw);
  if (!parsed.success)
    return { fieldErrors: fieldErrors(parsed.error.issues), values: { name: raw.name, email: raw.email } };
  const weak = passwordProblem(parsed.data.password, parsed.data);
  if (weak) return { fieldErrors: { password: weak }, values: { name: raw.name, email: raw.email } };
  const incoming = await headers();
  const jar = await cookies();
  const proof = form.get('pow');
  try {
    await guardSignUp({
      email: parsed.data.email,
      ip: clientIp(incoming),
      proof: typeof proof === 'string' ? proof : null,
      via: 'form',
    });
    const auth = await getAuth();
    await auth.api.signUpEmail({ body: parsed.data, headers: headersForAuth(incoming) });
  } catch (error) {
    const refusal = refusalMessage(error);
    if (refusal) return { error: refusal, values: { name: raw.name, email: raw.email } };
    const code = (error as { body?: { code?: string } }).body?.code ?? '';
    return {
      error: code.includes('USER_ALREADY_EXISTS')
        ? 'An account with this email already exists. Sign in instead.'
        : messageOf(error),
      values: { name: raw.name, email: raw.email },
    };
  }
  const trusted = trustedDeviceCookieFor(parsed.data.email, jar.get(TRUSTED_DEVICE_COOKIE)?.value);
  jar.set(trusted.name, trusted.value, trusted.options);
  redirect(safeNextPath(form.get('next')));
}
