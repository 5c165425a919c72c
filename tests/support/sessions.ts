import { createHmac, randomBytes } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { session, user } from '@/db/schema';

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
  return rows.map(
    (r) =>
      `better-auth.session_token=${encodeURIComponent(`${r.token}.${createHmac('sha256', secret).update(r.token).digest('base64')}`)}`,
  );
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

/**
 * Signed-in sessions that already carry better-auth's signed session cache, as a browser has them after its first
 * page: the session rows plus, per account, a Cookie header with `better-auth.session_token` and
 * `better-auth.session_data`. The data cookie is built the way better-auth's "compact" cookie cache builds it
 * (base64url JSON of {session: {session, user, updatedAt, version}, expiresAt, signature}, the signature an
 * HMAC-SHA256 (base64url, no padding) over JSON.stringify({...session, expiresAt})), so neither better-auth nor
 * lib/auth/session-cache.ts needs the database to trust it. No request reaches the app (its auth rate limiter
 * refuses a bulk warm-up through /api/auth/get-session). `cacheSeconds` is how long the cache stays valid
 * (better-auth's own is 5 minutes; a benchmark that runs longer asks for more).
 */
export async function signedSessionCookies(
  db: Database,
  userIds: string[],
  options: { secret?: string; cacheSeconds?: number; sessionSeconds?: number; now?: number } = {},
): Promise<string[]> {
  const secret = options.secret ?? TEST_AUTH_SECRET;
  const now = options.now ?? Date.now();
  const found = new Map<string, typeof user.$inferSelect>();
  for (let i = 0; i < userIds.length; i += 1000) {
    for (const u of await db
      .select()
      .from(user)
      .where(inArray(user.id, userIds.slice(i, i + 1000))))
      found.set(u.id, u);
  }
  const created = new Date(now);
  const rows = userIds.map((userId) => {
    if (!found.has(userId)) throw new Error(`signedSessionCookies: no account ${userId}`);
    return {
      id: crypto.randomUUID(),
      token: randomBytes(24).toString('base64url'),
      userId,
      expiresAt: new Date(now + (options.sessionSeconds ?? 86_400) * 1000),
      ipAddress: '',
      userAgent: '',
      createdAt: created,
      updatedAt: created,
    };
  });
  for (let i = 0; i < rows.length; i += 1000) await db.insert(session).values(rows.slice(i, i + 1000));
  const expiresAt = now + (options.cacheSeconds ?? 300) * 1000;
  return rows.map((r) => {
    const u = found.get(r.userId)!;
    const sessionData = {
      session: {
        id: r.id,
        token: r.token,
        userId: r.userId,
        expiresAt: r.expiresAt,
        ipAddress: r.ipAddress,
        userAgent: r.userAgent,
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
      },
      user: {
        id: u.id,
        name: u.name,
        email: u.email,
        emailVerified: u.emailVerified,
        image: u.image ?? null,
        createdAt: u.createdAt,
        updatedAt: u.updatedAt,
        role: u.role,
      },
      updatedAt: now,
      version: '1',
    };
    // Dates become ISO strings here, as in better-auth's JSON.stringify; the signature covers exactly these bytes.
    const plain = JSON.parse(JSON.stringify(sessionData)) as typeof sessionData;
    const signature = createHmac('sha256', secret)
      .update(JSON.stringify({ ...plain, expiresAt }))
      .digest('base64url');
    const data = Buffer.from(JSON.stringify({ session: plain, expiresAt, signature })).toString('base64url');
    const token = `${r.token}.${createHmac('sha256', secret).update(r.token).digest('base64')}`;
    return `better-auth.session_token=${encodeURIComponent(token)}; better-auth.session_data=${data}`;
  });
}
