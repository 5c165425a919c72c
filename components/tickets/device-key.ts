import { toBase64Url } from '@/lib/tickets/ticket-code';

/**
 * This browser's device key for rotating ticket codes: an Ed25519 pair made once, kept in IndexedDB with a private
 * half that cannot be exported (so it cannot be copied off the phone), and available offline.
 */
export type DeviceKey = { privateKey: CryptoKey; publicKey: string };

const DB = 'admitone';
const STORE = 'keys';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = work(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}

export async function getDeviceKey(): Promise<DeviceKey> {
  const stored = await run<DeviceKey | undefined>(
    'readonly',
    (s) => s.get('device') as IDBRequest<DeviceKey | undefined>,
  );
  if (stored?.privateKey && stored.publicKey) return stored;
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
  const key = {
    privateKey: pair.privateKey,
    publicKey: toBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey))),
  };
  await run('readwrite', (s) => s.put(key, 'device'));
  return key;
}

type Certificate = { delegation: string; expiresAt: string; devicePublicKey: string };
const certKey = (ticketId: string) => `admitone:ticket-cert:${ticketId}`;

/** The certificate for this ticket and this device: from storage, or asked for once while online. */
export async function getCertificate(ticketId: string, device: DeviceKey): Promise<string> {
  const raw = localStorage.getItem(certKey(ticketId));
  const saved = raw ? (JSON.parse(raw) as Certificate) : null;
  if (saved && saved.devicePublicKey === device.publicKey && new Date(saved.expiresAt) > new Date())
    return saved.delegation;
  const response = await fetch(`/api/tickets/${ticketId}/device-key`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ publicKey: device.publicKey }),
  });
  if (!response.ok) throw new Error(response.status === 409 ? 'void' : `certificate: HTTP ${response.status}`);
  const { delegation, expiresAt } = (await response.json()) as { delegation: string; expiresAt: string };
  localStorage.setItem(
    certKey(ticketId),
    JSON.stringify({ delegation, expiresAt, devicePublicKey: device.publicKey } satisfies Certificate),
  );
  return delegation;
}
