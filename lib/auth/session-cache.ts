import 'server-only';
import { createHmac, timingSafeEqual } from 'node:crypto';

export type CachedSession = {
  session: { id: string; token: string; userId: string; expiresAt: string };
  user: { id: string; email: string; name: string; role?: string };
};

/**
 * Reads better-auth's signed session cache (the "compact" session_data cookie: base64url JSON of
 * {session: {session, user, ...}, expiresAt, signature}, signed with HMAC-SHA256 over the JSON of the session plus
 * expiresAt). Node's synchronous HMAC costs microseconds where the Web Crypto path with a key import per request
 * cost a noticeable share of every hold. Anything unexpected (a format change, a bad signature, an expiry) answers
 * null and the caller asks better-auth itself.
 */
export function readSessionCache(cookieValue: string, secret: string, now = Date.now()): CachedSession | null {
  let parsed: {
    session?: { session?: CachedSession['session']; user?: CachedSession['user'] };
    expiresAt?: unknown;
    signature?: unknown;
  };
  try {
    parsed = JSON.parse(Buffer.from(decodeURIComponent(cookieValue), 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const { session, expiresAt, signature } = parsed ?? {};
  if (!session?.session || !session.user || typeof expiresAt !== 'number' || typeof signature !== 'string') return null;
  if (expiresAt < now || new Date(session.session.expiresAt).getTime() < now) return null;
  const expected = createHmac('sha256', secret)
    .update(JSON.stringify({ ...session, expiresAt }))
    .digest('base64url');
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) return null;
  return { session: session.session, user: session.user };
}
