'use client';

import { useEffect, useMemo, useRef, useState } from 'react';
import {
  crossedMilestone,
  deadline,
  formatRemaining,
  remainingMs,
  spokenDuration,
} from '@/components/hold-countdown/countdown';
import { Button } from '@/components/ui/button';

/** The last minutes of a shopping window are shown as a warning, like a hold's last two. */
export const WINDOW_WARNING_MS = 3 * 60_000;

const selectionKey = (eventId: string) => `admitone:selection:${eventId}`;

/** Keeps the buyer's selection across a trip through the waiting room (this tab only). */
export function saveSelection(eventId: string, seatIds: number[]) {
  try {
    sessionStorage.setItem(selectionKey(eventId), JSON.stringify(seatIds));
  } catch {
    // Storage refused: the buyer picks again after the line.
  }
}

/** The selection saved before rejoining the line, as seat ids (empty when there is none). */
export function peekSavedSelection(eventId: string): number[] {
  try {
    const raw = sessionStorage.getItem(selectionKey(eventId));
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed) ? parsed.filter((id): id is number => Number.isInteger(id)) : [];
  } catch {
    return [];
  }
}

export function forgetSavedSelection(eventId: string) {
  try {
    sessionStorage.removeItem(selectionKey(eventId));
  } catch {
    // Nothing was saved then.
  }
}

type Props = {
  endsAt: string;
  serverTime: string;
  /** This browser's clock when the page carrying serverTime arrived. */
  receivedAt: number;
  holdMinutes: number;
  /** The window is over: measured here, or the server refused a hold for it. */
  ended: boolean;
  onEnd: () => void;
  onRejoin: () => void;
};

/**
 * The shopping window of an admission from the waiting room, counted down from the server's clock. Seats must be
 * held before it ends (a hold then lasts its own minutes). In the last minutes it warns; at the end it says so, the
 * selection stays on screen, and the buyer can rejoin the line. Screen readers hear it at a few moments only.
 */
export function ShoppingWindow({ endsAt, serverTime, receivedAt, holdMinutes, ended, onEnd, onRejoin }: Props) {
  const d = useMemo(() => deadline(endsAt, serverTime, receivedAt), [endsAt, serverTime, receivedAt]);
  const [now, setNow] = useState(receivedAt);
  const [announcement, setAnnouncement] = useState('');
  const end = useRef(onEnd);
  const alertRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    end.current = onEnd;
  }, [onEnd]);

  useEffect(() => {
    if (ended) return;
    let previous = remainingMs(d, Date.now());
    const timer = setInterval(() => {
      const at = Date.now();
      const left = remainingMs(d, at);
      setNow(at);
      const milestone = crossedMilestone(previous, left);
      if (milestone !== null) setAnnouncement(`${spokenDuration(milestone)} left to hold seats.`);
      previous = left;
      if (left === 0) {
        clearInterval(timer);
        end.current();
      }
    }, 500);
    return () => clearInterval(timer);
  }, [d, ended]);

  useEffect(() => {
    if (ended) alertRef.current?.focus();
  }, [ended]);

  const left = remainingMs(d, now);
  if (ended) {
    return (
      <div
        ref={alertRef}
        tabIndex={-1}
        role="alert"
        className="rounded-xl bg-red-50 p-4 text-sm text-red-950 ring-1 ring-red-300"
        data-testid="shopping-window"
      >
        <p className="font-semibold">Your shopping time has ended.</p>
        <p className="mt-1">
          Seats can no longer be held on this turn. Your selection is kept: rejoin the line, and you can hold it when it
          is your turn again.
        </p>
        <Button className="mt-3 w-full" onClick={onRejoin}>
          Rejoin the line
        </Button>
      </div>
    );
  }
  const warning = left <= WINDOW_WARNING_MS;
  return (
    <div
      className={`rounded-xl p-3 text-sm ring-1 ${warning ? 'bg-amber-50 text-amber-950 ring-amber-300' : 'bg-white text-slate-700 ring-slate-200'}`}
      data-testid="shopping-window"
      data-warning={warning || undefined}
    >
      <p className="flex items-baseline justify-between gap-3">
        <span className={warning ? 'font-semibold' : undefined}>
          {warning ? 'Your shopping time is nearly over' : 'Shopping time left'}
        </span>
        <span
          role="timer"
          aria-label={`Shopping time left: ${spokenDuration(left)}`}
          className="text-lg font-bold tabular-nums"
        >
          {formatRemaining(left)}
        </span>
      </p>
      {warning && (
        <p className="mt-1">
          Hold your seats before it ends: once held, they are yours for {holdMinutes} minutes while you pay.
        </p>
      )}
      <p className="sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </p>
    </div>
  );
}
