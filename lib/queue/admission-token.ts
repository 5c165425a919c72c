import { sha256 } from '@noble/hashes/sha2.js';

/**
 * The admission token: an HS256 JWT (RFC 7519) naming the event, the queue entry (visitor), the account and a hash of
 * the browser's session cookie, expiring with the shopping window. The edge gate verifies it without a database, the
 * server signs it, and the hold route verifies it on every hold.
 *
 * In Node, HMAC-SHA256 is node:crypto's, synchronously (about 4 µs a token); Web Crypto's costs a trip through the
 * thread pool and its promises (about 50 µs of CPU, a twentieth of a hold's, issue 14). On the Edge runtime, where
 * node:crypto is not there, Web Crypto signs and verifies. The token is plain JWS compact serialisation either way:
 * lib/queue/admission-token.test.ts checks ours against jose, a JOSE implementation of record, both ways.
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
  /** What the account's presale codes unlock (absent: nothing; lib/presale). */
  ul?: AdmissionUnlocks;
};

/**
 * What a token's presale codes unlock: `p`, the presale whose line admitted it (set only on presale admissions,
 * which end with the presale); `t`, hidden price tiers; `n`, the per-account seat limit of those codes.
 */
export type AdmissionUnlocks = { p?: string; t?: string[]; n?: number };

type NodeCrypto = typeof import('node:crypto');
declare const EdgeRuntime: string | undefined;
/** node:crypto when this runs in Node (process.getBuiltinModule, Node 20.16+), else undefined (the Edge runtime). */
const nodeCrypto = typeof EdgeRuntime === 'string' ? undefined : loadNodeCrypto();

function loadNodeCrypto(): NodeCrypto | undefined {
  try {
    return (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.(
      'node:crypto',
    ) as NodeCrypto | undefined;
  } catch {
    return undefined; // a runtime that forbids asking
  }
}

/** A secret ready to sign and verify with. */
export type AdmissionKey = { readonly secret: Uint8Array; webKey?: Promise<CryptoKey> };

const encoder = new TextEncoder();
const keys = new Map<string, AdmissionKey>();

/** The key for a secret, prepared once per process. (A promise, as it was when it was a Web Crypto key.) */
export async function admissionKey(secret: string): Promise<AdmissionKey> {
  let key = keys.get(secret);
  if (!key) {
    key = { secret: encoder.encode(secret) };
    keys.set(secret, key);
  }
  return key;
}

const HEADER = 'eyJhbGciOiJIUzI1NiJ9';

export async function signAdmissionToken(
  claims: AdmissionClaims,
  key: AdmissionKey,
  nowMs: number = Date.now(),
): Promise<string> {
  const { ev, vid, sh, sub, exp, ul } = claims;
  const payload = base64url(
    encoder.encode(JSON.stringify({ ev, vid, sh, sub, iat: Math.floor(nowMs / 1000), exp, ...(ul ? { ul } : {}) })),
  );
  const signingInput = `${HEADER}.${payload}`;
  return `${signingInput}.${base64url(nodeCrypto ? nodeMac(nodeCrypto, key, signingInput) : await webMac(key, signingInput))}`;
}

/**
 * The claims of a genuine, unexpired token; null for anything else: a bad signature, any algorithm but HS256 (no
 * "none", no header parameters we would have to understand), a token not yet valid or expired, missing claims,
 * anything malformed.
 */
export async function verifyAdmissionToken(
  token: string,
  key: AdmissionKey,
  nowMs: number = Date.now(),
): Promise<AdmissionClaims | null> {
  const parts = splitToken(token);
  if (!parts) return null;
  const expected = nodeCrypto ? nodeMac(nodeCrypto, key, parts.signingInput) : await webMac(key, parts.signingInput);
  return equalBytes(expected, parts.signature) ? readClaims(parts, nowMs) : null;
}

/** verifyAdmissionToken without a promise where node:crypto is there (undefined on the Edge runtime: use the other). */
export function verifyAdmissionTokenSync(
  token: string,
  key: AdmissionKey,
  nowMs: number = Date.now(),
): AdmissionClaims | null | undefined {
  if (!nodeCrypto) return undefined;
  const parts = splitToken(token);
  if (!parts) return null;
  return equalBytes(nodeMac(nodeCrypto, key, parts.signingInput), parts.signature) ? readClaims(parts, nowMs) : null;
}

type TokenParts = { signingInput: string; header: string; payload: string; signature: Uint8Array };

function splitToken(token: string): TokenParts | null {
  if (token.length > 4096) return null;
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  if (first <= 0 || second <= first + 1 || token.indexOf('.', second + 1) !== -1) return null;
  const signature = fromBase64url(token.slice(second + 1));
  if (!signature || signature.length !== 32) return null;
  return {
    signingInput: token.slice(0, second),
    header: token.slice(0, first),
    payload: token.slice(first + 1, second),
    signature,
  };
}

function readClaims(parts: TokenParts, nowMs: number): AdmissionClaims | null {
  const header = parseJson(parts.header);
  if (
    !header ||
    header.alg !== 'HS256' ||
    Object.keys(header).some((name) => name !== 'alg' && name !== 'typ') ||
    (header.typ !== undefined && header.typ !== 'JWT')
  )
    return null;
  const payload = parseJson(parts.payload);
  if (!payload) return null;
  const { ev, vid, sh, sub, exp, nbf, ul } = payload;
  if (
    typeof ev !== 'string' ||
    typeof vid !== 'string' ||
    typeof sh !== 'string' ||
    typeof sub !== 'string' ||
    typeof exp !== 'number' ||
    !Number.isFinite(exp)
  )
    return null;
  const now = Math.floor(nowMs / 1000);
  if (exp <= now) return null;
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now)) return null;
  if (ul === undefined) return { ev, vid, sh, sub, exp };
  const unlocks = readUnlocks(ul);
  return unlocks ? { ev, vid, sh, sub, exp, ul: unlocks } : null;
}

/** A signed `ul` claim is ours, but a token we cannot read in full is refused rather than half-trusted. */
function readUnlocks(value: unknown): AdmissionUnlocks | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const { p, t, n } = value as Record<string, unknown>;
  if (p !== undefined && typeof p !== 'string') return null;
  if (t !== undefined && !(Array.isArray(t) && t.every((x) => typeof x === 'string'))) return null;
  if (n !== undefined && (typeof n !== 'number' || !Number.isInteger(n))) return null;
  return {
    ...(p !== undefined ? { p } : {}),
    ...(t !== undefined ? { t: t as string[] } : {}),
    ...(n !== undefined ? { n } : {}),
  };
}

const nodeMac = (crypto: NodeCrypto, key: AdmissionKey, signingInput: string): Uint8Array =>
  crypto.createHmac('sha256', key.secret).update(signingInput, 'utf8').digest();

async function webMac(key: AdmissionKey, signingInput: string): Promise<Uint8Array> {
  key.webKey ??= crypto.subtle.importKey('raw', key.secret as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return new Uint8Array(await crypto.subtle.sign('HMAC', await key.webKey, asciiBytes(signingInput) as BufferSource));
}

/** Constant time in the content: a forger learns nothing from how long a refusal took. */
function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function parseJson(part: string): Record<string, unknown> | null {
  const bytes = fromBase64url(part);
  if (!bytes) return null;
  try {
    const value: unknown = JSON.parse(decoder.decode(bytes));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUES = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

function base64url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  if (i + 1 === bytes.length) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!;
  } else if (i + 2 === bytes.length) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]!;
  }
  return out;
}

/** Unpadded base64url only (as JWS compact serialisation has it); null for any other character or a bad length. */
function fromBase64url(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const v = code < 128 ? VALUES[code]! : -1;
    if (v < 0) return null;
    value = (value << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (value >> bits) & 0xff;
    }
  }
  // The leftover bits of the last character must be zero (one encoding per byte string).
  if (value & ((1 << bits) - 1)) return null;
  return out;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Cookie values and JWS signing input are ASCII; this skips TextEncoder, which costs more than the hash itself on short strings. */
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
 * it. Synchronously: node:crypto in Node (about 1 µs), plain JavaScript (@noble/hashes) on the Edge runtime, where
 * Web Crypto's digest would cost a second trip through the thread pool on every request the gate has not seen before.
 */
export function sessionBinding(sessionCookie: string): string {
  if (nodeCrypto) return nodeCrypto.createHash('sha256').update(sessionCookie, 'utf8').digest('hex').slice(0, 32);
  const digest = sha256(asciiBytes(sessionCookie));
  let hex = '';
  for (let i = 0; i < 16; i++) hex += HEX[digest[i]!];
  return hex;
}
