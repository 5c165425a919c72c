'use client';

import Link from 'next/link';
import { useActionState, type InputHTMLAttributes } from 'react';
import type { ActionResult } from '@/lib/contracts/action-result';
import { useProofOfWork } from './security/use-proof-of-work';

/** The sign-in and sign-up actions (lib/auth/actions.ts): they redirect on success, so only a refusal comes back. */
type AuthAction = (state: ActionResult<never> | null, form: FormData) => Promise<ActionResult<never>>;

type Props = {
  mode: 'sign-in' | 'sign-up';
  action: AuthAction;
  next: string;
  /** A proof-of-work challenge to solve in the background (sign-up while a high-demand sale is coming). */
  challenge?: string;
};

const input =
  'mt-1 block min-h-11 w-full rounded-lg border border-slate-300 px-3 shadow-sm focus:border-brand-600 aria-[invalid=true]:border-red-600';

/** A field's message as a sentence ("enter your name" reads "Enter your name."), like the rest of the page. */
const sentence = (message: string) =>
  `${message.charAt(0).toUpperCase()}${message.slice(1)}${/[.!?]$/.test(message) ? '' : '.'}`;

export function AuthForm({ mode, action, next, challenge }: Props) {
  const [state, formAction, pending] = useActionState(action, null);
  // While a high-demand sale is coming, the page's puzzle (decision 023); the button waits the moment it takes.
  const { proof, solving } = useProofOfWork(challenge);
  const refused = state && !state.ok ? state : undefined;
  const fields = mode === 'sign-up' ? ['name', 'email', 'password'] : ['email', 'password'];
  const err: Record<string, string> = {};
  for (const name of fields) if (refused?.fieldErrors?.[name]) err[name] = sentence(refused.fieldErrors[name]);
  // A refusal that no field explains (wrong password, the sign-in limits, a taken email) is said above the form.
  const error = refused && fields.every((name) => !err[name]) ? refused.problem.detail : undefined;
  const values = refused?.values;
  const field = (name: string, label: string, props: InputHTMLAttributes<HTMLInputElement>) => (
    <div>
      <label htmlFor={name} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input
        id={name}
        name={name}
        className={input}
        aria-invalid={Boolean(err[name])}
        aria-describedby={err[name] ? `${name}-error` : undefined}
        {...props}
      />
      {err[name] && (
        <p id={`${name}-error`} className="mt-1 text-sm text-red-700">
          {err[name]}
        </p>
      )}
    </div>
  );
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="next" value={next} />
      {proof && <input type="hidden" name="pow" value={proof} />}
      {error && (
        <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
          {error}
        </p>
      )}
      {mode === 'sign-up' &&
        field('name', 'Your name', { autoComplete: 'name', defaultValue: values?.name, required: true })}
      {field('email', 'Email', {
        type: 'email',
        autoComplete: 'email',
        defaultValue: values?.email,
        required: true,
      })}
      {field('password', 'Password', {
        type: 'password',
        autoComplete: mode === 'sign-up' ? 'new-password' : 'current-password',
        required: true,
        ...(mode === 'sign-up' ? { minLength: 10 } : {}),
      })}
      {mode === 'sign-up' && (
        <p className="text-xs text-slate-600">
          At least 10 characters. A phrase of a few words is easy to remember and hard to guess.
        </p>
      )}
      <button
        disabled={pending || solving}
        className="inline-flex min-h-11 w-full items-center justify-center rounded-lg bg-brand-600 px-4 font-semibold text-white hover:bg-brand-700 disabled:bg-slate-400"
      >
        {pending ? 'Please wait…' : mode === 'sign-in' ? 'Sign in' : 'Create account'}
      </button>
      <p className="text-center text-sm text-slate-600">
        {mode === 'sign-in' ? (
          <>
            New to AdmitOne?{' '}
            <Link
              className="font-semibold text-brand-700 hover:underline"
              href={`/sign-up?next=${encodeURIComponent(next)}`}
            >
              Create an account
            </Link>
          </>
        ) : (
          <>
            Already have an account?{' '}
            <Link
              className="font-semibold text-brand-700 hover:underline"
              href={`/sign-in?next=${encodeURIComponent(next)}`}
            >
              Sign in
            </Link>
          </>
        )}
      </p>
    </form>
  );
}
