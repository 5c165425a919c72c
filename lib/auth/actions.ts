'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { safeNextPath, signInSchema, signUpSchema } from '@/lib/contracts/auth';
import { getAuth } from './auth.server';

export type AuthFormState = { error?: string; fieldErrors?: Record<string, string>; values?: { name?: string; email?: string } };

const fieldErrors = (issues: { path: PropertyKey[]; message: string }[]) =>
  Object.fromEntries(issues.map((i) => [String(i.path[0]), i.message.charAt(0).toUpperCase() + i.message.slice(1)]));

const messageOf = (error: unknown) => {
  const e = error as { body?: { message?: string }; message?: string };
  return e.body?.message ?? e.message ?? 'Something went wrong. Please try again.';
};

export async function signInAction(_prev: AuthFormState, form: FormData): Promise<AuthFormState> {
  const raw = { email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') };
  const parsed = signInSchema.safeParse(raw);
  if (!parsed.success) return { fieldErrors: fieldErrors(parsed.error.issues), values: { email: raw.email } };
  try {
    const auth = await getAuth();
    await auth.api.signInEmail({ body: parsed.data, headers: await headers() });
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    return {
      error: status === 401 ? 'That email and password do not match an account. Check them, or create an account.' : messageOf(error),
      values: { email: raw.email },
    };
  }
  redirect(safeNextPath(form.get('next')));
}

export async function signUpAction(_prev: AuthFormState, form: FormData): Promise<AuthFormState> {
  const raw = { name: String(form.get('name') ?? ''), email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') };
  const parsed = signUpSchema.safeParse(raw);
  if (!parsed.success) return { fieldErrors: fieldErrors(parsed.error.issues), values: { name: raw.name, email: raw.email } };
  try {
    const auth = await getAuth();
    await auth.api.signUpEmail({ body: parsed.data, headers: await headers() });
  } catch (error) {
    const code = (error as { body?: { code?: string } }).body?.code ?? '';
    return {
      error: code.includes('USER_ALREADY_EXISTS') ? 'An account with this email already exists. Sign in instead.' : messageOf(error),
      values: { name: raw.name, email: raw.email },
    };
  }
  redirect(safeNextPath(form.get('next')));
}
