import 'server-only';
import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { eventKeys } from '@/db/schema';
import { requiredSecret } from '@/lib/env';
import { fromBase64Url, toBase64Url } from './ticket-code';

export type EventSigningKey = { eventId: string; publicKey: string; privateKey: CryptoKey };

const encoder = new TextEncoder();
/** Plain module state: a key pair never changes once stored, so copies of this cache cannot disagree. */
const cache = new Map<string, Promise<EventSigningKey>>();

/**
 * The event's Ed25519 key pair, made on first use. The private key is stored encrypted (AES-256-GCM under a key
 * derived from TICKET_KEY_SECRET, with the event id as associated data so a row cannot be moved to another event).
 * Two requests that race to create it both insert-or-ignore and then read the one row that won.
 */
export async function getEventSigningKey(db: Database, eventId: string): Promise<EventSigningKey> {
  let found = cache.get(eventId);
  if (!found) {
    found = loadOrCreate(db, eventId);
    cache.set(eventId, found);
    found.catch(() => cache.delete(eventId));
  }
  return found;
}

/** The public half only (what pages and scanners get). */
export async function getEventPublicKey(db: Database, eventId: string): Promise<string> {
  return (await getEventSigningKey(db, eventId)).publicKey;
}

async function loadOrCreate(db: Database, eventId: string): Promise<EventSigningKey> {
  let [row] = await db.select().from(eventKeys).where(eq(eventKeys.eventId, eventId));
  if (!row) {
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const publicKey = toBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)));
    const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
    await db
      .insert(eventKeys)
      .values({ eventId, publicKey, privateKeyEncrypted: await encrypt(pkcs8, eventId) })
      .onConflictDoNothing();
    [row] = await db.select().from(eventKeys).where(eq(eventKeys.eventId, eventId));
    if (!row) throw new Error(`event ${eventId} has no signing key and none could be made`);
  }
  const privateKey = await crypto.subtle.importKey(
    'pkcs8',
    await decrypt(row.privateKeyEncrypted, eventId),
    { name: 'Ed25519' },
    false,
    ['sign'],
  );
  return { eventId, publicKey: row.publicKey, privateKey };
}

async function wrappingKey(): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey(
    'raw',
    encoder.encode(requiredSecret('TICKET_KEY_SECRET')),
    'HKDF',
    false,
    ['deriveKey'],
  );
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: encoder.encode('admitone/event-keys'), info: encoder.encode('v1') },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

async function encrypt(plain: Uint8Array<ArrayBuffer>, eventId: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(eventId) },
    await wrappingKey(),
    plain,
  );
  return `v1.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`;
}

async function decrypt(stored: string, eventId: string): Promise<Uint8Array<ArrayBuffer>> {
  const [version, iv, sealed] = stored.split('.');
  if (version !== 'v1' || !iv || !sealed) throw new Error(`event ${eventId}: unknown private key format`);
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64Url(iv), additionalData: encoder.encode(eventId) },
      await wrappingKey(),
      fromBase64Url(sealed),
    );
    return new Uint8Array(plain);
  } catch (error) {
    throw new Error(
      `event ${eventId}: the ticket signing key cannot be decrypted; is TICKET_KEY_SECRET the one it was made with?`,
      { cause: error },
    );
  }
}
