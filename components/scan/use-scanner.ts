'use client';

import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { verifyCheckinList } from '@/lib/checkin/signed-list';
import type { CheckinList, ScannerSession, SignedCheckinList, SyncResult } from '@/lib/contracts/checkin';
import type { AdmissionResult } from '@/lib/contracts/tickets';
import { fromBase64Url, verifyTicketCode } from '@/lib/tickets/ticket-code';
import { scannerStore, type QueuedAdmission } from './scanner-store';
import { REFUSAL_DETAIL, REFUSAL_TITLE, verdictOf, type Verdict } from './verdict';

/** An online scan that takes longer than this is answered by the phone itself (the venue's network is failing). */
const ONLINE_TIMEOUT_MS = 1_500;
const SYNC_EVERY_MS = 5_000;
const LIST_EVERY_MS = 30_000;

export type SetupState =
  | { state: 'loading' }
  | { state: 'unpaired'; reason: 'signed-out' | 'revoked' | 'forbidden' }
  | { state: 'ready'; session: ScannerSession; cached: boolean };

type Place = { eventId: string; gateId: string };

const timeText = (iso: string) =>
  new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

async function call(path: string, init: RequestInit = {}, timeoutMs = 8_000): Promise<Response> {
  const token = scannerStore.token();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    return await fetch(path, {
      ...init,
      signal: controller.signal,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    });
  } finally {
    clearTimeout(timer);
  }
}

/** The event a code says it is for (not yet verified; a code of another event is refused whatever it says). */
function claimedEvent(code: string): string | null {
  try {
    const payload = JSON.parse(new TextDecoder().decode(fromBase64Url(code.trim().split('.')[1] ?? ''))) as {
      e?: unknown;
    };
    return typeof payload.e === 'string' ? payload.e : null;
  } catch {
    return null;
  }
}

function subscribeOnline(onChange: () => void): () => void {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

/**
 * The scanner's brain: pairing, the session, the signed list (verified against the pinned key), online scans with an
 * offline fallback that checks signatures and the list, and the queue of offline admissions synced when back online.
 */
export function useScanner() {
  const [setup, setSetup] = useState<SetupState>({ state: 'loading' });
  const [chosen, setChosen] = useState<Place | null>(null);
  const [list, setList] = useState<{ list: CheckinList; publicKey: string } | null>(null);
  const online = useSyncExternalStore(
    subscribeOnline,
    () => navigator.onLine,
    () => true,
  );
  const [queued, setQueued] = useState(0);
  const [flagged, setFlagged] = useState(0);
  const [listError, setListError] = useState<string | null>(null);
  const syncing = useRef(false);

  // Pairing: the token arrives in the link's fragment, which no server ever sees; it leaves the address bar at once.
  useEffect(() => {
    const match = /^#pair=(aos_[A-Za-z0-9_-]{20,100})$/.exec(window.location.hash);
    if (match) {
      scannerStore.setToken(match[1]!);
      window.history.replaceState(null, '', window.location.pathname);
    }
    void (async () => {
      setQueued(scannerStore.queue().length);
      setChosen(scannerStore.choice());
      try {
        const res = await call('/api/checkin/session');
        if (res.status === 401) {
          const hadToken = Boolean(scannerStore.token());
          scannerStore.setToken(null);
          scannerStore.clearSession();
          return setSetup({ state: 'unpaired', reason: hadToken ? 'revoked' : 'signed-out' });
        }
        if (res.status === 403) {
          scannerStore.clearSession();
          return setSetup({ state: 'unpaired', reason: 'forbidden' });
        }
        if (!res.ok) throw new Error(String(res.status));
        const session = (await res.json()) as ScannerSession;
        scannerStore.setSession(session);
        setSetup({ state: 'ready', session, cached: false });
      } catch {
        const cached = scannerStore.session();
        setSetup(
          cached ? { state: 'ready', session: cached, cached: true } : { state: 'unpaired', reason: 'signed-out' },
        );
      }
    })();
  }, []);

  // The place: a device's own gate; staff pick one (remembered on the phone).
  const place = useMemo((): Place | null => {
    if (setup.state !== 'ready') return null;
    const { session } = setup;
    if (session.kind === 'device')
      return session.events[0] && session.gateId ? { eventId: session.events[0].id, gateId: session.gateId } : null;
    const valid =
      chosen && session.events.some((e) => e.id === chosen.eventId && e.gates.some((g) => g.id === chosen.gateId));
    return valid ? chosen : null;
  }, [setup, chosen]);

  const choose = useCallback((next: Place) => {
    scannerStore.setChoice(next);
    setChosen(next);
  }, []);

  const adoptList = useCallback(async (eventId: string, signed: SignedCheckinList): Promise<boolean> => {
    const pinned = scannerStore.pinnedKey(eventId) ?? signed.publicKey;
    const verified = await verifyCheckinList(signed, pinned, eventId);
    if (!verified) return false;
    scannerStore.pinKey(eventId, pinned);
    scannerStore.setSignedList(eventId, signed);
    // What the server now knows replaces this phone's own memory, except admissions still waiting to sync.
    const waiting = new Set(scannerStore.queue().map((q) => q.ticketId));
    scannerStore.setLocalAdmitted(
      eventId,
      scannerStore.localAdmitted(eventId).filter((a) => waiting.has(a.t)),
    );
    setList({ list: verified, publicKey: pinned });
    return true;
  }, []);

  const refreshList = useCallback(async () => {
    if (!place) return;
    try {
      const res = await call(`/api/checkin/list?eventId=${place.eventId}`);
      if (!res.ok) throw new Error(String(res.status));
      const ok = await adoptList(place.eventId, (await res.json()) as SignedCheckinList);
      setListError(ok ? null : 'The list from the server failed its signature check: it was not used.');
    } catch {
      // Offline: keep the stored list, if its signature still checks out.
      const stored = scannerStore.signedList(place.eventId);
      if (stored && !(await adoptList(place.eventId, stored)))
        setListError('The stored list failed its signature check: it was not used.');
    }
  }, [place, adoptList]);

  const sync = useCallback(async () => {
    if (syncing.current || !place) return;
    const queue = scannerStore.queue();
    if (queue.length === 0) return;
    syncing.current = true;
    try {
      const batch = queue.filter((q) => q.gateId === place.gateId).slice(0, 200);
      if (batch.length === 0) return;
      const res = await call('/api/checkin/sync', {
        method: 'POST',
        body: JSON.stringify({
          eventId: place.eventId,
          gateId: place.gateId,
          admissions: batch.map(({ localId, ticketId, code, scannedAt }) => ({ localId, ticketId, code, scannedAt })),
        }),
      });
      if (!res.ok) return;
      const { outcomes } = (await res.json()) as SyncResult;
      const answered = new Set(outcomes.map((o) => o.localId));
      // Only what the server answered leaves the queue: nothing is lost to a dropped connection.
      const rest = scannerStore.queue().filter((q) => !answered.has(q.localId));
      scannerStore.setQueue(rest);
      setQueued(rest.length);
      setFlagged((n) => n + outcomes.filter((o) => o.outcome !== 'admitted').length);
    } catch {
      // Still offline; the next round tries again.
    } finally {
      syncing.current = false;
    }
  }, [place]);

  useEffect(() => {
    if (!place) return;
    const first = setTimeout(() => void refreshList().then(sync), 0);
    const lists = setInterval(() => void refreshList(), LIST_EVERY_MS);
    const syncs = setInterval(() => void sync(), SYNC_EVERY_MS);
    const back = () => void refreshList().then(sync);
    window.addEventListener('online', back);
    return () => {
      clearTimeout(first);
      clearInterval(lists);
      clearInterval(syncs);
      window.removeEventListener('online', back);
    };
  }, [place, refreshList, sync]);

  const scanOffline = useCallback(
    async (code: string, started: number): Promise<Verdict> => {
      const ms = () => Math.round(performance.now() - started);
      if (!place || !list)
        return {
          ok: false,
          title: 'Cannot check offline',
          detail: 'No signed list on this phone yet: connect once.',
          mode: 'offline',
          ms: ms(),
        };
      const claimed = claimedEvent(code);
      if (claimed !== null && claimed !== place.eventId)
        return {
          ok: false,
          title: REFUSAL_TITLE.wrong_event!,
          detail: REFUSAL_DETAIL.wrong_event!,
          mode: 'offline',
          ms: ms(),
        };
      const revoked = new Set(list.list.revoked);
      const checked = await verifyTicketCode(code, {
        publicKey: list.publicKey,
        eventId: place.eventId,
        isRevoked: (id) => revoked.has(id),
      });
      if (!checked.ok)
        return {
          ok: false,
          title: REFUSAL_TITLE[checked.reason] ?? 'Refused',
          detail: REFUSAL_DETAIL[checked.reason] ?? '',
          mode: 'offline',
          ms: ms(),
        };
      const local = scannerStore.localAdmitted(place.eventId);
      const earlier = [...list.list.admitted, ...local].find((a) => a.t === checked.ticketId);
      if (earlier)
        return {
          ok: false,
          title: 'Already admitted',
          detail: `Already admitted at ${timeText(earlier.at)}${earlier.g ? `, ${earlier.g}` : ''}.`,
          seat: checked.seat,
          mode: 'offline',
          ms: ms(),
        };
      const scannedAt = new Date().toISOString();
      const gateName =
        setup.state === 'ready'
          ? (setup.session.events.flatMap((e) => e.gates).find((g) => g.id === place.gateId)?.name ?? null)
          : null;
      const entry: QueuedAdmission = {
        localId: crypto.randomUUID(),
        ticketId: checked.ticketId,
        code,
        scannedAt,
        gateId: place.gateId,
      };
      const queue = [...scannerStore.queue(), entry];
      scannerStore.setQueue(queue);
      scannerStore.setLocalAdmitted(place.eventId, [...local, { t: checked.ticketId, g: gateName, at: scannedAt }]);
      setQueued(queue.length);
      return {
        ok: true,
        title: 'Admitted',
        detail: 'Checked on this phone; it syncs when the network is back.',
        seat: checked.seat,
        mode: 'offline',
        ms: ms(),
      };
    },
    [place, list, setup],
  );

  const scan = useCallback(
    async (raw: string): Promise<Verdict> => {
      const code = raw.trim();
      const started = performance.now();
      if (!place)
        return { ok: false, title: 'Choose a gate', detail: 'Pick the event and gate first.', mode: 'online', ms: 0 };
      if (navigator.onLine) {
        try {
          const res = await call(
            '/api/checkin/scan',
            { method: 'POST', body: JSON.stringify({ code, eventId: place.eventId, gateId: place.gateId }) },
            ONLINE_TIMEOUT_MS,
          );
          if (res.ok) {
            const result = (await res.json()) as AdmissionResult;
            if (result.admitted && list)
              scannerStore.setLocalAdmitted(place.eventId, [
                ...scannerStore.localAdmitted(place.eventId),
                { t: result.ticketId, g: result.gate, at: result.admittedAt },
              ]);
            return verdictOf(result, Math.round(performance.now() - started));
          }
          if (res.status === 401) {
            scannerStore.setToken(null);
            scannerStore.clearSession();
            setSetup({ state: 'unpaired', reason: 'revoked' });
          }
          if (res.status < 500) {
            const problem = (await res.json().catch(() => ({}))) as { detail?: string };
            return {
              ok: false,
              title: 'Not checked',
              detail: problem.detail ?? `The server refused (${res.status}).`,
              mode: 'online',
              ms: Math.round(performance.now() - started),
            };
          }
        } catch {
          // Timed out or no route to the server: the phone decides.
        }
      }
      return scanOffline(code, started);
    },
    [place, list, scanOffline],
  );

  return { setup, place, choose, list: list?.list ?? null, listError, online, queued, flagged, scan, sync };
}
