import { LRUCache } from 'lru-cache';
import {
  sessionBinding,
  verifyAdmissionToken,
  verifyAdmissionTokenSync,
  type AdmissionClaims,
  type AdmissionKey,
} from './admission-token';
import { admissionCookieName, admissionCookies, readCookie, readSessionCookie } from './cookies';

/**
 * The waiting-room gate as a pure function of a path, a Cookie header, a key and the time. Web APIs only:
 * middleware.ts calls it on the Edge runtime (no database, no Redis); the server calls checkAdmission() too.
 */

/** Where a checkout without an admission is sent: the buyer's orders page, with their held seats on top. */
export const HELD_SEATS_PATH = '/orders#held-seats';

export type GateTarget = { kind: 'event'; eventId: string } | { kind: 'checkout' };

const SEATS_PATH = /^\/events\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/seats(?:\/|$)/i;
const CHECKOUT_PATH = /^\/checkout(?:\/|$)/;

/** Which gated route a path is, if any: an event's seat selection, or checkout (whose path names a hold only). */
export function gateTarget(pathname: string): GateTarget | null {
  const seats = SEATS_PATH.exec(pathname);
  if (seats) return { kind: 'event', eventId: seats[1]!.toLowerCase() };
  return CHECKOUT_PATH.test(pathname) ? { kind: 'checkout' } : null;
}

export type AdmissionCheck =
  | { ok: true; claims: AdmissionClaims }
  | { ok: false; reason: 'no-token' | 'no-session' | 'invalid' | 'other-event' | 'other-session' };

type Cached = { claims: AdmissionClaims; expMs: number };
/**
 * Genuine pairs remembered per key: more than the shoppers an on-sale admits in one shopping window (a smaller
 * bound, first in first out, evicted each pair before its next use once more shoppers than that were active, and
 * every request paid the full check again). About 300 bytes a pair.
 */
const CACHE_LIMIT = 100_000;
const caches = new WeakMap<AdmissionKey, LRUCache<string, Cached>>();

/**
 * Verifies a token for a session cookie, remembering genuine pairs until they expire: a shopper's every navigation
 * presents the same pair, and a hit costs a Map lookup instead of an HMAC and a SHA-256. Only pairs that passed the
 * full check are kept, so nothing a client sends can make a forged token pass.
 */
async function verifyForSession(
  token: string,
  session: string,
  key: AdmissionKey,
  nowMs: number,
): Promise<AdmissionCheck> {
  let cache = caches.get(key);
  if (!cache) caches.set(key, (cache = new LRUCache<string, Cached>({ max: CACHE_LIMIT })));
  const id = `${token}\n${session}`;
  const hit = cache.get(id);
  if (hit) {
    if (hit.expMs > nowMs) return { ok: true, claims: hit.claims };
    cache.delete(id);
    return { ok: false, reason: 'invalid' };
  }
  const claims = verifyAdmissionTokenSync(token, key, nowMs) ?? (await verifyAdmissionToken(token, key, nowMs));
  if (!claims) return { ok: false, reason: 'invalid' };
  if (claims.sh !== sessionBinding(session)) return { ok: false, reason: 'other-session' };
  cache.set(id, { claims, expMs: claims.exp * 1000 });
  return { ok: true, claims };
}

/** Does this Cookie header carry a valid admission to `eventId` for its own session? */
export async function checkAdmission(
  cookieHeader: string | null | undefined,
  eventId: string,
  key: AdmissionKey,
  nowMs: number = Date.now(),
): Promise<AdmissionCheck> {
  const token = readCookie(cookieHeader, admissionCookieName(eventId));
  if (!token) return { ok: false, reason: 'no-token' };
  const session = readSessionCookie(cookieHeader);
  if (!session) return { ok: false, reason: 'no-session' };
  const result = await verifyForSession(token, session, key, nowMs);
  if (result.ok && result.claims.ev !== eventId) return { ok: false, reason: 'other-event' };
  return result;
}

export type GateDecision = { allow: true; eventId?: string } | { allow: false; redirectTo: string; reason: string };

/** Seat selection needs an admission to its event; checkout needs at least one valid admission of this session. */
export async function gate(
  pathname: string,
  cookieHeader: string | null | undefined,
  key: AdmissionKey,
  nowMs: number = Date.now(),
): Promise<GateDecision> {
  const target = gateTarget(pathname);
  if (!target) return { allow: true };
  if (target.kind === 'event') {
    const check = await checkAdmission(cookieHeader, target.eventId, key, nowMs);
    return check.ok
      ? { allow: true, eventId: target.eventId }
      : { allow: false, redirectTo: `/events/${target.eventId}/queue`, reason: check.reason };
  }
  let reason = 'no-token';
  for (const { eventId } of admissionCookies(cookieHeader)) {
    const check = await checkAdmission(cookieHeader, eventId, key, nowMs);
    if (check.ok) return { allow: true, eventId };
    reason = check.reason;
  }
  // To "My tickets", which offers the account's running holds to resume in this browser or release (issue 16):
  // a checkout link opened elsewhere finds its seats there instead of a list of events.
  return { allow: false, redirectTo: HELD_SEATS_PATH, reason };
}
