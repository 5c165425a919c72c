import { getAuth } from '@/lib/auth/auth.server';

/** Signs a new account up through better-auth and returns the Cookie header its browser would send. */
export async function signedUpBrowser(name = 'Queue Tester'): Promise<{ cookie: string; accountId: string; email: string }> {
  const auth = await getAuth();
  const email = `queue-${crypto.randomUUID().slice(0, 12)}@example.test`;
  const response = await auth.api.signUpEmail({ body: { email, password: 'a-long-enough-password', name }, asResponse: true });
  if (!response.ok) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { user: { id: string } };
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
  return { cookie, accountId: body.user.id, email };
}

/** Adds or replaces cookies in a Cookie header. */
export function withCookies(header: string, extra: Record<string, string>): string {
  const jar = new Map(header.split('; ').filter(Boolean).map((c) => [c.slice(0, c.indexOf('=')), c.slice(c.indexOf('=') + 1)] as const));
  for (const [k, v] of Object.entries(extra)) jar.set(k, v);
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** name=value of a Set-Cookie header. */
export const cookiePair = (setCookie: string | null): [string, string] => {
  const pair = (setCookie ?? '').split(';')[0]!;
  return [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
};
