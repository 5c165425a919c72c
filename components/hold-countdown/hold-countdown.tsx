'use client';

import { useEffect, useMemo, useRef, useState } from 'react';
import { crossedMilestone, deadline, formatRemaining, remainingMs, spokenDuration, URGENT_BELOW_MS } from './countdown';

export type HoldCountdownProps = {
  expiresAt: string;
  serverTime: string;
  /** This browser's clock (Date.now()) when the answer carrying serverTime arrived. */
  receivedAt: number;
  /** Called once when the time is up. */
  onExpire: () => void;
};

/**
 * Time left on a hold, from the server's clock. Turns urgent in the last two minutes and tells screen readers at
 * a few moments (5, 2 and 1 minutes, 30 and 10 seconds) rather than every second, politely (after whatever is being read).
 */
export function HoldCountdown({ expiresAt, serverTime, receivedAt, onExpire }: HoldCountdownProps) {
  const d = useMemo(() => deadline(expiresAt, serverTime, receivedAt), [expiresAt, serverTime, receivedAt]);
  const total = useMemo(() => Math.max(1, remainingMs(d, receivedAt)), [d, receivedAt]);
  const [now, setNow] = useState(receivedAt);
  const [announcement, setAnnouncement] = useState('');
  const expired = useRef(false);
  const expire = useRef(onExpire);
  useEffect(() => {
    expire.current = onExpire;
  }, [onExpire]);

  useEffect(() => {
    expired.current = false;
    let previous = remainingMs(d, Date.now());
    const tick = () => {
      const at = Date.now();
      const left = remainingMs(d, at);
      setNow(at);
      const milestone = crossedMilestone(previous, left);
      if (milestone !== null) setAnnouncement(`${spokenDuration(milestone)} left to complete your purchase.`);
      previous = left;
      if (left === 0 && !expired.current) {
        expired.current = true;
        expire.current();
      }
    };
    const timer = setInterval(tick, 250);
    return () => clearInterval(timer);
  }, [d]);

  const left = remainingMs(d, now);
  const urgent = left <= URGENT_BELOW_MS;
  const share = Math.min(1, left / total);

  return (
    <div
      className={`rounded-xl p-4 ring-1 ${urgent ? 'bg-red-50 ring-red-300' : 'bg-emerald-50 ring-emerald-200'}`}
      data-urgent={urgent || undefined}
      data-testid="hold-countdown"
    >
      <div className="flex items-baseline justify-between gap-3">
        <p className={`text-sm font-semibold ${urgent ? 'text-red-900' : 'text-emerald-900'}`}>
          {urgent ? 'Hurry: your seats are about to be released' : 'Your seats are held for'}
        </p>
        <p
          role="timer"
          aria-label={`Time left: ${spokenDuration(left)}`}
          className={`text-3xl font-bold tabular-nums ${urgent ? 'text-red-700 motion-safe:animate-pulse' : 'text-emerald-800'}`}
        >
          {formatRemaining(left)}
        </p>
      </div>
      <div className="mt-2 h-2 overflow-hidden rounded-full bg-white/80" aria-hidden="true">
        <div
          className={`h-full rounded-full ${urgent ? 'bg-red-600' : 'bg-emerald-600'}`}
          style={{ width: `${share * 100}%` }}
        />
      </div>
      {urgent && left > 0 && (
        <p className="mt-2 text-sm text-red-900">
          Complete your purchase in the next {spokenDuration(left)} or the seats go back on sale.
        </p>
      )}
      <p className="sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </p>
    </div>
  );
}
