/**
 * The signed check-in list an offline scanner keeps (docs/tickets.md). Web Crypto only, no server imports: the
 * server signs it with the event's key and the /scan page verifies it before trusting a single id in it, so a list
 * altered in the phone's storage, or answered by anything but our server, is refused.
 */
import type { CheckinList, SignedCheckinList } from '@/lib/contracts/checkin';
import { fromBase64Url, toBase64Url } from '@/lib/tickets/ticket-code';

/** Ticket codes sign `AO1.` and `AO1D.`: a list's signature can never pass as a ticket's, nor the reverse. */
const PREFIX = 'AO1L.';
const encoder = new TextEncoder();

export async function signCheckinList(
  privateKey: CryptoKey,
  publicKey: string,
  list: CheckinList,
): Promise<SignedCheckinList> {
  const body = toBase64Url(encoder.encode(JSON.stringify(list)));
  const signature = await crypto.subtle.sign('Ed25519', privateKey, encoder.encode(PREFIX + body));
  return { publicKey, body, signature: toBase64Url(new Uint8Array(signature)) };
}

/**
 * The list, if `signed` carries a good signature by `publicKey` (the key the scanner pinned, not the one the list
 * names) for `eventId`; null otherwise.
 */
export async function verifyCheckinList(
  signed: SignedCheckinList,
  publicKey: string,
  eventId: string,
): Promise<CheckinList | null> {
  try {
    const key = await crypto.subtle.importKey('raw', fromBase64Url(publicKey), { name: 'Ed25519' }, false, ['verify']);
    const signature = fromBase64Url(signed.signature);
    if (signature.length !== 64) return null;
    if (!(await crypto.subtle.verify('Ed25519', key, signature, encoder.encode(PREFIX + signed.body)))) return null;
    const list = JSON.parse(new TextDecoder().decode(fromBase64Url(signed.body))) as CheckinList;
    return list.v === 1 && list.eventId === eventId ? list : null;
  } catch {
    return null;
  }
}
