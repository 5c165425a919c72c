import 'server-only';
import { LRUCache } from 'lru-cache';
import { requiredSecret } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { requestContext } from '@/lib/observability/request-context';
import { getAuth } from './auth.server';
import { readSessionCache } from './session-cache';
import { isRevoked, revocationsCurrent } from './session-revocation';
import { processSingleton } from '@/lib/process-singletons';

export type Role = 'customer' | 'admin' | 'door' | 'box_office';
/** Staff roles: each may do its own job; an admin may do every job. */
export type StaffRole = 'door' | 'box_office';
/** The signed-in person as the rest of the code sees them. */
export type Viewer = { id: string; email: string; name: string; role: Role; sessionId: string };

/**
 * Verified sessions by their cookies, for 30 seconds: the hot paths (holds, availability) then skip better-auth's
 * per-request work. No staleness is added: better-auth's own signed cookie cache already trusts a session for
 * five minutes without asking the database.
 */
const VIEWER_TTL_MS = 30_000;
const MAX_VIEWERS = 20_000;
const viewers = processSingleton('viewers', () => new LRUCache<string, Viewer>({ max: MAX_VIEWERS }));

function sessionCookies(cookieHeader: string): string | null {
  const parts = cookieHeader.split(/;\s*/).filter((c) => c.includes('session_token=') || c.includes('session_data='));
  return parts.some((c) => c.includes('session_token=')) ? parts.sort().join(';') : null;
}

/**
 * Reads the session from request headers (the signed cookie cache first, the database when it is stale). A session
 * revoked on any instance (signed out) is nobody, whatever its cookies still vouch for (lib/auth/session-revocation.ts).
 */
export async function getViewer(headers: Headers): Promise<Viewer | null> {
  const key = sessionCookies(headers.get('cookie') ?? '');
  if (!key) return null;
  const now = Date.now();
  const reading = revocationsCurrent(now);
  if (reading) await reading;
  const hit = viewers.get(key);
  if (hit) {
    if (!isRevoked(hit.sessionId)) return hit;
    viewers.delete(key);
    return null;
  }
  const clean = withoutUnreadableCache(headers);
  const found = fromSignedCache(clean) ?? (await sessionFromBetterAuth(clean));
  if (!found || isRevoked(found.session.id)) {
    viewers.delete(key);
    return null;
  }
  const stored = (found.user as { role?: string }).role;
  // Staff roles are roles too: reading them as 'customer' would lock box-office and door staff out of their pages.
  const role: Role = stored === 'admin' || stored === 'door' || stored === 'box_office' ? stored : 'customer';
  const viewer: Viewer = {
    id: found.user.id,
    email: found.user.email,
    name: found.user.name,
    role,
    sessionId: found.session.id,
  };
  const ttl = Math.min(VIEWER_TTL_MS, new Date(found.session.expiresAt).getTime() - now);
  if (ttl > 0) viewers.set(key, viewer, { ttl });
  return viewer;
}

const SESSION_DATA = /(?:^|;\s*)((?:__Secure-)?better-auth\.session_data=([^;]*))/;

/**
 * A session cache cookie that is not even base64 of a JSON object was altered: drop it before better-auth sees it (it would log
 * an error for every such request, which anyone could trigger), and let the session token decide.
 */
function withoutUnreadableCache(headers: Headers): Headers {
  const cookie = headers.get('cookie') ?? '';
  const match = SESSION_DATA.exec(cookie);
  if (!match) return headers;
  try {
    // Node's base64 decoder skips characters it does not know; better-auth's throws on them (a 500). Only clean
    // base64 of a JSON object goes through.
    const raw = decodeURIComponent(match[2]!);
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(raw)) throw new Error('not base64');
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
    return headers;
  } catch {
    const next = new Headers(headers);
    next.set(
      'cookie',
      cookie
        .replace(match[1]!, '')
        .replace(/;\s*;/g, ';')
        .replace(/^;\s*|;\s*$/g, ''),
    );
    return next;
  }
}

/**
 * better-auth's signed session cache (the session_data cookie, five minutes) checked on its own, as better-auth
 * itself trusts it, without the rest of its request machinery; it must belong to the session_token cookie sent
 * with it. Anything unusual (no cache, a mismatch, a bad signature) goes the full way through getSession.
 */
function fromSignedCache(headers: Headers) {
  const cookie = headers.get('cookie') ?? '';
  const data = SESSION_DATA.exec(cookie)?.[2];
  const tokenCookie = /(?:^|;\s*)(?:__Secure-)?better-auth\.session_token=([^;]+)/.exec(cookie)?.[1];
  if (!data || !tokenCookie) return null;
  const cached = readSessionCache(data, requiredSecret('AUTH_SECRET'));
  if (!cached || cached.session.token !== decodeURIComponent(tokenCookie).split('.')[0]) return null;
  return cached;
}

/**
 * The full way, when the signed cache is missing or older than its five minutes: better-auth reads the database and
 * answers with a fresh session cache cookie, which goes on this request's response (lib/http/route.ts). Without it a
 * buyer who never loads a better-auth page again (twenty minutes in a waiting room) would send a stale cache with
 * every request, and every request would cost two database queries (bench:onsale saw checkouts take 10 s so).
 */
async function sessionFromBetterAuth(headers: Headers) {
  const { headers: answered, response } = await (await getAuth()).api.getSession({ headers, returnHeaders: true });
  const store = requestContext.getStore();
  if (store && response) {
    const refreshed = answered.getSetCookie().filter((c) => /^(?:__Secure-)?better-auth\./.test(c));
    if (refreshed.length) store.setCookies = [...(store.setCookies ?? []), ...refreshed];
  }
  return response;
}

/** Sign-out and role changes call this so the next request asks better-auth again. */
export function forgetViewer(cookieHeader: string): void {
  const key = sessionCookies(cookieHeader);
  if (key) viewers.delete(key);
}

/** For route handlers and actions: the viewer, or 401. */
export async function requireViewer(headers: Headers): Promise<Viewer> {
  const viewer = await getViewer(headers);
  if (!viewer) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
  return viewer;
}

/** For staff route handlers and actions: a viewer with that staff role or an admin; 401 signed out, 403 anyone else. */
export async function requireStaff(headers: Headers, role: StaffRole): Promise<Viewer> {
  const viewer = await requireViewer(headers);
  if (viewer.role !== role && viewer.role !== 'admin') {
    throw new AppError(
      'FORBIDDEN',
      role === 'door' ? 'This needs a door staff account.' : 'This needs a box office account.',
    );
  }
  return viewer;
}

/** For admin route handlers and actions: the admin viewer, 401 when signed out, 403 for anyone else. */
export async function requireAdmin(headers: Headers): Promise<Viewer> {
  const viewer = await requireViewer(headers);
  if (viewer.role !== 'admin') throw new AppError('FORBIDDEN', 'This needs an organizer (admin) account.');
  return viewer;
}
