import { sha256 } from '@noble/hashes/sha2.js';
import { jwtVerify, SignJWT } from 'jose';

/**
 * The admission token: an HS256 JWT naming the event, the queue entry (visitor), the account and a hash of the
 * browser's session cookie, expiring with the shopping window. Web APIs only (jose + Web Crypto): the edge gate
 * verifies it without a database, the server signs it.
 */
export type AdmissionClaims = {
  /** Event id. */
  ev: string;
  /** Anonymised queue entry of the account for this event (see visitor-id.ts). */
  vid: string;
  /** Account id. */
  sub: string;
  /** sessionBinding() of the session cookie the token was issued to. */
  sh: string;
  /** Expiry in seconds since the epoch: the end of the shopping window. */
  exp: number;
};

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

/** The HMAC key for a secret, imported once per process (importing costs more than verifying). */
export function admissionKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.set(secret, key);
  }
  return key;
}

export async function signAdmissionToken(claims: AdmissionClaims, key: CryptoKey): Promise<string> {
  const { exp, sub, ...rest } = claims;
  return new SignJWT(rest).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt().setExpirationTime(exp).sign(key);
}

/** The claims of a genuine, unexpired token; null for anything else (bad signature, expired, malformed). */
export async function verifyAdmissionToken(token: string, key: CryptoKey, nowMs: number = Date.now()): Promise<AdmissionClaims | null> {
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], currentDate: new Date(nowMs), requiredClaims: ['exp', 'sub'] });
    const { ev, vid, sh, sub, exp } = payload;
    if (typeof ev !== 'string' || typeof vid !== 'string' || typeof sh !== 'string' || typeof sub !== 'string' || typeof exp !== 'number') return null;
    return { ev, vid, sh, sub, exp };
  } catch {
    return null;
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Cookie values are ASCII; this skips TextEncoder, which costs more than the hash itself on short strings. */
function asciiBytes(value: string): Uint8Array {
  const bytes = new Uint8Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code > 0x7f) return encoder.encode(value);
    bytes[i] = code;
  }
  return bytes;
}

/**
 * 128 bits of SHA-256 over the session cookie value, in hex: binds a token to one browser session without storing
 * it. Computed in plain JavaScript (@noble/hashes), synchronously, in a few microseconds; Web Crypto's digest would
 * cost a second trip through the thread pool (20–40 µs) on every request the gate has not seen before.
 */
export function sessionBinding(sessionCookie: string): string {
  const digest = sha256(asciiBytes(sessionCookie));
  let hex = '';
  for (let i = 0; i < 16; i++) hex += HEX[digest[i]!];
  return hex;
}
