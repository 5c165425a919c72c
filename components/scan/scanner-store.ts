/**
 * What a scanner phone keeps between page loads (localStorage, this origin only): its device token, the event's
 * pinned public key, the last signed list, and the admissions made offline that the server has not yet answered.
 * Nothing here is trusted as it is read back: the list is verified against the pinned key every time.
 */
import type { CheckinList, ScannerSession, SignedCheckinList } from '@/lib/contracts/checkin';

export type QueuedAdmission = { localId: string; ticketId: string; code: string; scannedAt: string; gateId: string };

const KEY = {
  token: 'admitone.scan.token',
  session: 'admitone.scan.session',
  choice: 'admitone.scan.choice',
  queue: 'admitone.scan.queue',
  pinned: (eventId: string) => `admitone.scan.key.${eventId}`,
  list: (eventId: string) => `admitone.scan.list.${eventId}`,
  local: (eventId: string) => `admitone.scan.local.${eventId}`,
};

function read<T>(key: string): T | null {
  try {
    const text = window.localStorage.getItem(key);
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}
const write = (key: string, value: unknown) => window.localStorage.setItem(key, JSON.stringify(value));

export const scannerStore = {
  token: () => read<string>(KEY.token),
  setToken: (token: string | null) => (token ? write(KEY.token, token) : window.localStorage.removeItem(KEY.token)),
  session: () => read<ScannerSession>(KEY.session),
  setSession: (session: ScannerSession) => write(KEY.session, session),
  /** Signed out or unpaired: the page must not start offline as someone it no longer is. */
  clearSession: () => window.localStorage.removeItem(KEY.session),
  choice: () => read<{ eventId: string; gateId: string }>(KEY.choice),
  setChoice: (choice: { eventId: string; gateId: string }) => write(KEY.choice, choice),
  /** The key first seen for the event (trust on first use): a later list signed by another key is refused. */
  pinnedKey: (eventId: string) => read<string>(KEY.pinned(eventId)),
  pinKey: (eventId: string, key: string) => write(KEY.pinned(eventId), key),
  signedList: (eventId: string) => read<SignedCheckinList>(KEY.list(eventId)),
  setSignedList: (eventId: string, list: SignedCheckinList) => write(KEY.list(eventId), list),
  /** Tickets this phone let in since its last list, so it refuses the same ticket twice even offline. */
  localAdmitted: (eventId: string) => read<CheckinList['admitted']>(KEY.local(eventId)) ?? [],
  setLocalAdmitted: (eventId: string, admitted: CheckinList['admitted']) => write(KEY.local(eventId), admitted),
  queue: () => read<QueuedAdmission[]>(KEY.queue) ?? [],
  setQueue: (queue: QueuedAdmission[]) => write(KEY.queue, queue),
};
