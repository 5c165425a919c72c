import 'server-only';
import { appUrl, requiredSecret } from '@/lib/env';
import {
  admissionKey,
  sessionBinding,
  signAdmissionToken,
  type AdmissionClaims,
  type AdmissionKey,
  type AdmissionUnlocks,
} from './admission-token';
import { admissionCookieName, readSessionCookie } from './cookies';
import { checkAdmission } from './gate';

/** The key the server signs with and the gate verifies with (QUEUE_TOKEN_SECRET, the same on every instance). */
export const queueSigningKey = (): Promise<AdmissionKey> => admissionKey(requiredSecret('QUEUE_TOKEN_SECRET'));

const cookieAttributes = (maxAgeSeconds: number) =>
  `Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${appUrl().startsWith('https://') ? '; Secure' : ''}`;

/**
 * A Set-Cookie value admitting this browser session to the event until `untilMs`, or null when the request carries
 * no session cookie to bind to (then there is nothing a token could be checked against).
 */
export async function admissionCookie(input: {
  eventId: string;
  accountId: string;
  visitor: string;
  untilMs: number;
  cookieHeader: string | null;
  nowMs: number;
  /** What the account's presale codes unlock, carried to the hold route. */
  unlocks?: AdmissionUnlocks;
}): Promise<string | null> {
  const session = readSessionCookie(input.cookieHeader);
  if (!session) return null;
  const exp = Math.floor(input.untilMs / 1000);
  const token = await signAdmissionToken(
    {
      ev: input.eventId,
      vid: input.visitor,
      sub: input.accountId,
      sh: sessionBinding(session),
      exp,
      ...(input.unlocks ? { ul: input.unlocks } : {}),
    },
    await queueSigningKey(),
  );
  return `${admissionCookieName(input.eventId)}=${token}; ${cookieAttributes(Math.max(0, exp - Math.floor(input.nowMs / 1000)))}`;
}

export const clearedAdmissionCookie = (eventId: string) => `${admissionCookieName(eventId)}=; ${cookieAttributes(0)}`;

/** The admission this request carries for the event, if genuine, current, of this session and of this account. */
export async function carriedAdmission(
  cookieHeader: string | null,
  eventId: string,
  accountId: string,
  nowMs: number,
): Promise<AdmissionClaims | null> {
  const check = await checkAdmission(cookieHeader, eventId, await queueSigningKey(), nowMs);
  return check.ok && check.claims.sub === accountId ? check.claims : null;
}
