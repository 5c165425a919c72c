'use client';

import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import {
  CODE,
  codesFromString,
  inLayoutPositions,
  SeatLegend,
  SeatMap,
  seatName,
  type SeatState,
} from '@/components/seat-map';
import { requestJson } from '@/components/seat-map/api';
import { Button } from '@/components/ui/button';
import type { AvailabilitySnapshot, LayoutDocument } from '@/lib/contracts/inventory';
import { countOf } from '@/lib/format';

type Result = { changed: number[]; skipped: number[] };

/**
 * Box-office holds and kills: pick seats on the event's seat map (available ones to block, blocked ones to release),
 * give a reason, and apply. Held and sold seats cannot be picked; the server skips any that changed meanwhile.
 */
export function BoxOffice({ eventId, eventName }: { eventId: string; eventName: string }) {
  const id = useId();
  const [layout, setLayout] = useState<LayoutDocument | null>(null);
  const [codes, setCodes] = useState<Uint8Array | null>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<{ kind: 'error' | 'status'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(
    async (doc: LayoutDocument) => {
      const snapshot = await requestJson<AvailabilitySnapshot>(`/api/events/${eventId}/availability`);
      setCodes(codesFromString(inLayoutPositions(snapshot, doc).statuses, doc.seats.id.length));
    },
    [eventId],
  );

  useEffect(() => {
    let live = true;
    // Every tier, hidden ones too: an organizer blocks and releases any seat.
    requestJson<LayoutDocument>(`/api/events/${eventId}/layout/unlocked`)
      .then(async (doc) => {
        if (!live) return;
        setLayout(doc);
        await refresh(doc);
      })
      .catch(
        (error: Error) => live && setMessage({ kind: 'error', text: `The seat map could not load: ${error.message}` }),
      );
    return () => {
      live = false;
    };
  }, [eventId, refresh]);

  const picked = useMemo(() => [...selected].sort((a, b) => a - b), [selected]);
  const blockedPicked = codes ? picked.filter((p) => codes[p] === CODE.blocked) : [];
  const availablePicked = codes ? picked.filter((p) => codes[p] === CODE.available) : [];
  const counts = useMemo(() => {
    const c = { available: 0, blocked: 0, other: 0 };
    for (const code of codes ?? []) {
      if (code === CODE.available) c.available++;
      else if (code === CODE.blocked) c.blocked++;
      else c.other++;
    }
    return c;
  }, [codes]);

  async function apply(action: 'block' | 'unblock', positions: number[]) {
    if (!layout) return;
    if (!reason.trim()) {
      setMessage({ kind: 'error', text: 'Give a reason first (it goes into the audit log).' });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      const result = await requestJson<Result>(`/api/admin/events/${eventId}/seats/${action}`, {
        method: 'POST',
        body: JSON.stringify({ seatIds: positions.map((p) => layout.seats.id[p]!), reason }),
      });
      setSelected(new Set());
      await refresh(layout);
      const verb = action === 'block' ? 'Blocked' : 'Released';
      setMessage({
        kind: 'status',
        text: `${verb} ${countOf(result.changed.length, 'seat', 'seats')}.${result.skipped.length ? ` ${result.skipped.length} skipped: their state had changed.` : ''}`,
      });
    } catch (error) {
      setMessage({ kind: 'error', text: (error as Error).message });
    } finally {
      setBusy(false);
    }
  }

  if (!layout || !codes) {
    return message ? (
      <p role="alert" className="mt-6 rounded-lg bg-red-50 px-4 py-3 text-red-900 ring-1 ring-red-200">
        {message.text}
      </p>
    ) : (
      <p className="mt-6 text-slate-600" role="status">
        Loading the seat map…
      </p>
    );
  }

  const canActivate = (_: number, state: SeatState) =>
    state === 'available' || state === 'blocked' || state === 'selected';
  const toggle = (p: number) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(p)) next.delete(p);
      else next.add(p);
      return next;
    });

  return (
    <div className="mt-6 grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
      <div className="space-y-3">
        <p className="text-sm text-slate-700">
          {counts.available.toLocaleString('en')} available · {counts.blocked.toLocaleString('en')} blocked ·{' '}
          {counts.other.toLocaleString('en')} held or sold. Select available seats to block or blocked seats to release.
        </p>
        <SeatMap
          layout={layout}
          codes={codes}
          selected={selected}
          onSeatActivate={toggle}
          canActivate={canActivate}
          label={`Box-office seat map of ${eventName}`}
        />
      </div>
      <aside className="space-y-4">
        <section aria-labelledby={`${id}-sel`} className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <h2 id={`${id}-sel`} className="font-semibold">
            Selected: {picked.length}
          </h2>
          {picked.length === 0 ? (
            <p className="mt-1 text-sm text-slate-600">
              Click seats on the map, or move with the arrow keys and press Enter.
            </p>
          ) : (
            <ul className="relative mt-2 max-h-48 space-y-1 overflow-y-auto text-sm">
              {picked.map((p) => (
                <li key={p} className="flex items-center justify-between gap-2">
                  <span>
                    {seatName(layout, p)}{' '}
                    <span className="text-slate-600">({codes[p] === CODE.blocked ? 'blocked' : 'available'})</span>
                  </span>
                  <button
                    type="button"
                    className="rounded px-2 py-1 text-brand-700 hover:bg-brand-50"
                    onClick={() => toggle(p)}
                  >
                    Remove<span className="sr-only"> {seatName(layout, p)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <label htmlFor={`${id}-reason`} className="mt-4 block text-sm font-medium text-slate-800">
            Reason
          </label>
          <input
            id={`${id}-reason`}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder="House seats, camera position…"
            className="mt-1 block w-full rounded-md border border-slate-300 px-2.5 py-2 text-sm"
          />
          <div className="mt-3 flex flex-wrap gap-2">
            <Button
              type="button"
              disabled={busy || availablePicked.length === 0}
              onClick={() => void apply('block', availablePicked)}
            >
              Block {availablePicked.length || ''} from sale
            </Button>
            <Button
              type="button"
              variant="secondary"
              disabled={busy || blockedPicked.length === 0}
              onClick={() => void apply('unblock', blockedPicked)}
            >
              Release {blockedPicked.length || ''}
            </Button>
          </div>
          <div aria-live="polite">
            {message && (
              <p
                role={message.kind === 'error' ? 'alert' : 'status'}
                className={`mt-3 text-sm ${message.kind === 'error' ? 'text-red-800' : 'text-green-800'}`}
              >
                {message.text}
              </p>
            )}
          </div>
        </section>
        <div className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <SeatLegend layout={layout} mineLabel="Selected" />
        </div>
      </aside>
    </div>
  );
}
