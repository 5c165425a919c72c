import { NextRequest } from 'next/server';
import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { user } from '@/db/schema';
import { getAuth } from '@/lib/auth/auth.server';
import { expectDocumentedResponse } from './documented-response';

/** Signs a new account up through better-auth and returns its id and session cookie header. */
export async function signUp(overrides: { email?: string; name?: string; password?: string } = {}) {
  const auth = await getAuth();
  const email = overrides.email ?? `person-${crypto.randomUUID().slice(0, 12)}@example.test`;
  const response = await auth.api.signUpEmail({
    body: {
      email,
      password: overrides.password ?? 'correct horse battery staple',
      name: overrides.name ?? 'Test Person',
    },
    asResponse: true,
  });
  if (!response.ok) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  const cookie = cookieHeader(response);
  const body = (await response.json()) as { user: { id: string } };
  return { id: body.user.id, email, cookie };
}

const cookieHeader = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

/** An organizer account: signed up, promoted, then signed in again (the session cookie caches the role). */
export async function signUpAdmin(db: Database): Promise<Awaited<ReturnType<typeof signUp>>> {
  const password = 'correct horse battery staple';
  const person = await signUp({ password });
  await db.update(user).set({ role: 'admin' }).where(eq(user.id, person.id));
  const response = await (
    await getAuth()
  ).api.signInEmail({ body: { email: person.email, password }, asResponse: true });
  return { ...person, cookie: cookieHeader(response) };
}

type Handler<P> = (request: NextRequest, context: { params: Promise<P> }) => Promise<Response>;

/**
 * Calls a route handler the way Next would, with a NextRequest and promised params, and fails when the answer is not
 * what the OpenAPI document says (tests/support/documented-response.ts).
 */
export async function call<P extends Record<string, string>>(
  handler: Handler<P>,
  options: {
    method?: string;
    url?: string;
    params?: P;
    cookie?: string;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
  },
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const headers = new Headers(options.headers);
  if (options.cookie) headers.set('cookie', options.cookie);
  let body: string | undefined = options.rawBody;
  if (body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  const request = new NextRequest(new URL(options.url ?? '/', 'http://localhost:3000'), {
    method: options.method ?? 'GET',
    headers,
    body,
  });
  const response = await handler(request, { params: Promise.resolve((options.params ?? {}) as P) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  await expectDocumentedResponse(handler, request, {
    status: response.status,
    body: parsed,
    contentType: response.headers.get('content-type'),
  });
  return { status: response.status, body: parsed, headers: response.headers };
}
