import { createHmac, randomBytes } from 'node:crypto';
import type { Database } from '@/db/client';
import { session } from '@/db/schema';

export const TEST_AUTH_SECRET = 'test-auth-secret-that-is-long-enough-0123456789';

/**
 * A signed-in session for an existing account without going through sign-up (no password hashing, no auth rate
 * limit): a session row plus the cookie better-auth would set, signed with the same secret (HMAC-SHA256, base64).
 * For load tests and benchmarks that need hundreds of buyers.
 */
export async function sessionCookies(db: Database, userIds: string[], secret = TEST_AUTH_SECRET): Promise<string[]> {
  const rows = userIds.map((userId) => ({
    id: crypto.randomUUID(),
    token: randomBytes(24).toString('base64url'),
    userId,
    expiresAt: new Date(Date.now() + 86_400_000),
  }));
  for (let i = 0; i < rows.length; i += 1000) await db.insert(session).values(rows.slice(i, i + 1000));
  return rows.map((r) => `better-auth.session_token=${encodeURIComponent(`${r.token}.${createHmac('sha256', secret).update(r.token).digest('base64')}`)}`);
}

/** After a first request, better-auth answers with a signed session-data cookie; keeping it spares later lookups. */
export function withSetCookies(cookie: string, response: Response): string {
  const jar = new Map(cookie.split('; ').map((c) => [c.slice(0, c.indexOf('=')), c]));
  for (const set of response.headers.getSetCookie()) {
    const pair = set.split(';')[0]!;
    jar.set(pair.slice(0, pair.indexOf('=')), pair);
  }
  return [...jar.values()].join('; ');
}
