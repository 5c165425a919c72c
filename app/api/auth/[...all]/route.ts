import type { NextRequest } from 'next/server';
import { getAuth } from '@/lib/auth/auth.server';
import { guardSignIn, guardSignUp } from '@/lib/auth/auth-limits';
import { headersForAuth } from '@/lib/auth/forwarded-headers';
import { passwordProblem } from '@/lib/auth/password-policy.server';
import { isPublicAuthEndpoint } from '@/lib/auth/public-endpoints';
import { readTrustedDeviceCookie, trustedDeviceCookie } from '@/lib/auth/trusted-device';
import { signInSchema, signUpSchema } from '@/lib/contracts/auth';
import { AppError } from '@/lib/errors';
import { parseWith, readJsonText, route } from '@/lib/http/route';
import { clientIp } from '@/lib/ratelimit/client-ip';
import { POW_HEADER } from '@/lib/security/proof-of-work';

/**
 * better-auth's routes that the app uses: sign-up, sign-in, sign-out, session (lib/auth/public-endpoints.ts), behind
 * the same wrapper as every route (same-origin state changes, JSON bodies). Sign-in and sign-up are validated with
 * the forms' schemas and pass the same limits as the forms (lib/auth/auth-limits.ts) before better-auth sees them;
 * better-auth gets the normalised values, so what it stores is what the rules allowed.
 */
async function handle({ request }: { request: NextRequest }): Promise<Response> {
  if (!isPublicAuthEndpoint(request.method, request.url)) throw new AppError('NOT_FOUND', 'No such auth endpoint.');
  const auth = await getAuth();
  const path = new URL(request.url).pathname.replace(/\/+$/, '');
  const headers = headersForAuth(request.headers);
  headers.delete('content-length');
  headers.delete('transfer-encoding');
  // route() let any JSON type through (application/problem+json too); better-auth takes application/json alone and
  // logs an error for anything else, so it gets that type whenever a body goes on.
  headers.delete('content-type');
  if (request.method !== 'POST' || !(path.endsWith('/sign-in/email') || path.endsWith('/sign-up/email'))) {
    const text = request.method === 'POST' ? await readJsonText(request, { maxBytes: 4 * 1024 }) : undefined;
    // better-auth logs an error for a body it cannot read: one that is not a JSON object is refused here instead.
    const body = text ? JSON.stringify(parseObject(text)) : undefined;
    if (body) headers.set('content-type', 'application/json');
    return auth.handler(new Request(request.url, { method: request.method, headers, body }));
  }

  const raw = parseObject(await readJsonText(request, { maxBytes: 8 * 1024 }));
  const ip = clientIp(request.headers);
  const deviceCookie = readTrustedDeviceCookie(request.headers.get('cookie'));
  let email: string;
  let forwarded: Record<string, unknown>;
  if (path.endsWith('/sign-in/email')) {
    const credentials = parseWith(signInSchema, raw);
    await guardSignIn({ email: credentials.email, ip, deviceCookie });
    ({ email } = credentials);
    forwarded = { ...raw, ...credentials };
  } else {
    const account = parseWith(signUpSchema, raw);
    const weak = passwordProblem(account.password, account);
    if (weak)
      throw new AppError('VALIDATION_FAILED', `password: ${weak}`, { errors: [{ path: 'password', message: weak }] });
    await guardSignUp({ email: account.email, ip, proof: request.headers.get(POW_HEADER), via: 'api' });
    ({ email } = account);
    forwarded = { ...raw, ...account };
  }
  headers.set('content-type', 'application/json');
  const response = await auth.handler(
    new Request(request.url, { method: 'POST', headers, body: JSON.stringify(forwarded) }),
  );
  if (!response.ok) return response;
  // This browser now knows the password: its later sign-ins have a budget of their own (lib/auth/trusted-device.ts).
  const answer = new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: new Headers(response.headers),
  });
  answer.headers.append('set-cookie', trustedDeviceCookie(email, deviceCookie));
  return answer;
}

function parseObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('MALFORMED_REQUEST', 'The body is not valid JSON.');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new AppError('VALIDATION_FAILED', 'The body must be a JSON object.');
  return value as Record<string, unknown>;
}

export const GET = route('auth', {}, handle);
export const POST = route('auth', {}, handle);
