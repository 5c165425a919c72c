/**
 * Cookie names and a small reader shared by the edge gate and the server. Web APIs only (runs in middleware).
 * Values are returned exactly as sent, without decoding, so the gate and the API routes hash the same bytes.
 */

/** One admission cookie per event: `a1q.<eventId>`. */
export const ADMISSION_COOKIE_PREFIX = 'a1q.';
export const admissionCookieName = (eventId: string) => `${ADMISSION_COOKIE_PREFIX}${eventId}`;

/** better-auth's session cookie, with the `__Secure-` prefix it uses on https. */
export const SESSION_COOKIE_NAMES = ['__Secure-better-auth.session_token', 'better-auth.session_token'] as const;

/** The raw value of one cookie in a Cookie header. */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Every admission cookie in a Cookie header, as event id and token. */
export function admissionCookies(header: string | null | undefined): { eventId: string; token: string }[] {
  if (!header) return [];
  const found: { eventId: string; token: string }[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    const name = part.slice(0, eq).trim();
    if (eq > 0 && name.startsWith(ADMISSION_COOKIE_PREFIX))
      found.push({ eventId: name.slice(ADMISSION_COOKIE_PREFIX.length), token: part.slice(eq + 1).trim() });
  }
  return found;
}

export function readSessionCookie(header: string | null | undefined): string | undefined {
  for (const name of SESSION_COOKIE_NAMES) {
    const value = readCookie(header, name);
    if (value) return value;
  }
  return undefined;
}
