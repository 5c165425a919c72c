/**
 * Ticket codes, verifiable offline with nothing but the event's Ed25519 public key. Web Crypto only, so the same
 * module runs on the server, in the browser (the rotating code is signed on the buyer's phone), in a door scanner
 * and in scripts/verify-ticket.ts. No server imports. docs/tickets.md describes the formats for scanner authors.
 *
 *   static:    AO1.<payload>.<sig>                   sig = event key over "AO1.<payload>"
 *   device:    AO1D.<payload>.<sig>                  the event key certifies a device key `k` for this ticket until `x`
 *   rotating:  AO1R.<payload>.<sig>.<window>.<dsig>  dsig = device key over "AO1R.<payload>.<sig>.<window>"
 *
 * <payload> is base64url JSON; <window> is floor(unix seconds / 30). A screenshot of a rotating code is useless a
 * minute later, and the device's private key never leaves the browser that asked for the certificate.
 */

export const ROTATION_SECONDS = 30;
/** Windows either side of the scanner's own that still pass: phone and scanner clocks differ a little. */
const WINDOW_TOLERANCE = 1;

export type StaticPayload = { v: 1; t: string; e: string; n: string; s: string; i: number };
export type DevicePayload = { v: 1; t: string; e: string; n: string; s: string; k: string; x: number };

export type VerifiedTicket = {
  ok: true;
  kind: 'static' | 'rotating';
  ticketId: string;
  eventId: string;
  nonce: string;
  /** "Section / Row / Seat", for the scanner's screen. */
  seat: string;
  window?: number;
  /** Rotating codes: the device key that signed it (the online check asks whether it is still the ticket's one). */
  deviceKey?: string;
};
export type RejectedTicket = {
  ok: false;
  /**
   * `device_replaced`: a rotating code from a device whose certificate a newer device key replaced. It, and a ticket
   * already admitted (`used`, with when and where), are known to the online check only (lib/tickets/check-ticket-code.ts).
   */
  reason: 'malformed' | 'bad_signature' | 'wrong_event' | 'expired' | 'stale' | 'revoked' | 'device_replaced';
  ticketId?: string;
};
export type TicketVerification = VerifiedTicket | RejectedTicket;

export type VerifyOptions = {
  /** The event's public key: base64url of the raw 32 bytes. */
  publicKey: string;
  /** When set, codes of other events are rejected. */
  eventId?: string;
  now?: Date;
  /** Ticket ids voided since the scanner synced (cancelled or transferred); their old codes must not pass. */
  isRevoked?: (ticketId: string) => boolean;
};

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const encodePayload = (payload: object) => toBase64Url(encoder.encode(JSON.stringify(payload)));
export const rotationWindow = (now: Date) => Math.floor(now.getTime() / 1000 / ROTATION_SECONDS);

async function importPublicKey(publicKey: string): Promise<CryptoKey> {
  const raw = fromBase64Url(publicKey);
  if (raw.length !== 32) throw new Error('an Ed25519 public key is 32 bytes');
  return crypto.subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
}

async function signText(privateKey: CryptoKey, text: string): Promise<string> {
  return toBase64Url(new Uint8Array(await crypto.subtle.sign('Ed25519', privateKey, encoder.encode(text))));
}

async function verifyText(key: CryptoKey, signature: string, text: string): Promise<boolean> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = fromBase64Url(signature);
  } catch {
    return false;
  }
  if (bytes.length !== 64) return false;
  return crypto.subtle.verify('Ed25519', key, bytes, encoder.encode(text));
}

function decodePayload(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(decoder.decode(fromBase64Url(text)));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const isText = (v: unknown, max = 200): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

function asStatic(p: Record<string, unknown> | null): StaticPayload | null {
  if (!p || p.v !== 1 || !isText(p.t) || !isText(p.e) || !isText(p.n) || !isText(p.s) || typeof p.i !== 'number')
    return null;
  return p as StaticPayload;
}

function asDevice(p: Record<string, unknown> | null): DevicePayload | null {
  if (
    !p ||
    p.v !== 1 ||
    !isText(p.t) ||
    !isText(p.e) ||
    !isText(p.n) ||
    !isText(p.s) ||
    !isText(p.k, 43) ||
    typeof p.x !== 'number'
  )
    return null;
  return p as DevicePayload;
}

/** The static code of a ticket (the server signs it with the event's private key). */
export async function signStaticCode(privateKey: CryptoKey, payload: Omit<StaticPayload, 'v'>): Promise<string> {
  const head = `AO1.${encodePayload({ v: 1, ...payload })}`;
  return `${head}.${await signText(privateKey, head)}`;
}

/** The certificate binding a browser's device key to a ticket until `x` (unix seconds). */
export async function signDeviceCertificate(privateKey: CryptoKey, payload: Omit<DevicePayload, 'v'>): Promise<string> {
  const head = `AO1D.${encodePayload({ v: 1, ...payload })}`;
  return `${head}.${await signText(privateKey, head)}`;
}

/** Runs on the phone every 30 seconds: the certificate plus the current window, signed with the device key. */
export async function signRotatingCode(
  deviceKey: CryptoKey,
  certificate: string,
  now: Date = new Date(),
): Promise<string> {
  const [prefix, payload, signature] = certificate.split('.');
  if (prefix !== 'AO1D' || !payload || !signature) throw new Error('not a device certificate');
  const head = `AO1R.${payload}.${signature}.${rotationWindow(now)}`;
  return `${head}.${await signText(deviceKey, head)}`;
}

/** What a door scanner runs: signature, event, expiry, window and revocation; no network. */
export async function verifyTicketCode(code: string, options: VerifyOptions): Promise<TicketVerification> {
  const parts = code.trim().split('.');
  let key: CryptoKey;
  try {
    key = await importPublicKey(options.publicKey);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const now = options.now ?? new Date();

  if (parts[0] === 'AO1' && parts.length === 3) {
    const payload = asStatic(decodePayload(parts[1]!));
    if (!payload) return { ok: false, reason: 'malformed' };
    if (!(await verifyText(key, parts[2]!, `AO1.${parts[1]}`))) return { ok: false, reason: 'bad_signature' };
    return finish(payload, 'static', options);
  }

  if (parts[0] === 'AO1R' && parts.length === 5) {
    const [, body, signature, windowText, deviceSignature] = parts as [string, string, string, string, string];
    const payload = asDevice(decodePayload(body));
    if (!payload || !/^\d{1,12}$/.test(windowText)) return { ok: false, reason: 'malformed' };
    if (!(await verifyText(key, signature, `AO1D.${body}`))) return { ok: false, reason: 'bad_signature' };
    let deviceKey: CryptoKey;
    try {
      deviceKey = await importPublicKey(payload.k);
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (!(await verifyText(deviceKey, deviceSignature, `AO1R.${body}.${signature}.${windowText}`)))
      return { ok: false, reason: 'bad_signature' };
    if (payload.x * 1000 < now.getTime()) return { ok: false, reason: 'expired', ticketId: payload.t };
    const window = Number(windowText);
    if (Math.abs(window - rotationWindow(now)) > WINDOW_TOLERANCE)
      return { ok: false, reason: 'stale', ticketId: payload.t };
    return finish(payload, 'rotating', options, window);
  }

  return { ok: false, reason: 'malformed' };
}

function finish(
  payload: StaticPayload | DevicePayload,
  kind: 'static' | 'rotating',
  options: VerifyOptions,
  window?: number,
): TicketVerification {
  if (options.eventId && payload.e !== options.eventId)
    return { ok: false, reason: 'wrong_event', ticketId: payload.t };
  if (options.isRevoked?.(payload.t)) return { ok: false, reason: 'revoked', ticketId: payload.t };
  return {
    ok: true,
    kind,
    ticketId: payload.t,
    eventId: payload.e,
    nonce: payload.n,
    seat: payload.s,
    ...(window === undefined ? {} : { window }),
    ...('k' in payload ? { deviceKey: payload.k } : {}),
  };
}
