import { signInSchema, signUpSchema } from '@/lib/contracts/auth';
import { POW_HEADER } from '@/lib/security/proof-of-work-solver';
import { z } from 'zod';
import { ok, type ApiOperation } from '../operation';
import { authErrorSchema, authSessionSchema, sessionSchema, signedOutSchema } from '../schemas/accounts';

/** better-auth's own refusals, after the app's checks passed (a wrong password, an email already taken). */
const refusedByAuth = (description: string) => ({ description, schema: authErrorSchema });

export const ACCOUNTS: ApiOperation[] = [
  {
    method: 'post',
    path: '/api/auth/sign-up/email',
    id: 'auth.sign-up',
    tag: 'Accounts',
    summary: 'Create an account and sign in',
    description:
      'The password rules of the sign-up form apply (422). Sets the session cookie. Many sign-ups from one address want a proof of work (428).',
    access: 'public',
    headers: z.object({
      [POW_HEADER]: z.string().optional().meta({ description: 'the solved challenge, when one was asked for' }),
    }),
    body: signUpSchema,
    responses: {
      200: { description: 'The new account; the session cookie is set', schema: authSessionSchema },
      400: refusedByAuth('better-auth refused it'),
      422: refusedByAuth('better-auth refused it (an email already in use)'),
    },
    errors: ['PROOF_OF_WORK_REQUIRED', 'RATE_LIMITED'],
  },
  {
    method: 'post',
    path: '/api/auth/sign-in/email',
    id: 'auth.sign-in',
    tag: 'Accounts',
    summary: 'Sign in',
    description: 'Sets the session cookie. Tries are limited per account, per address and per browser (429).',
    access: 'public',
    body: signInSchema,
    responses: {
      200: { description: 'The account; the session cookie is set', schema: authSessionSchema },
      401: refusedByAuth('wrong email or password'),
    },
    errors: ['RATE_LIMITED'],
  },
  {
    method: 'post',
    path: '/api/auth/sign-out',
    id: 'auth.sign-out',
    tag: 'Accounts',
    summary: 'Sign out',
    access: 'public',
    responses: ok('Signed out; the session cookie is cleared', signedOutSchema),
  },
  {
    method: 'get',
    path: '/api/auth/get-session',
    id: 'auth.session',
    tag: 'Accounts',
    summary: 'The current session',
    access: 'public',
    responses: ok('The session and its account, or null when signed out', sessionSchema),
  },
];
