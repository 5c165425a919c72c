'use client';

import { useEffect, useState } from 'react';

type Props = {
  expiresAt: string;
  /** The server's clock when the page was made: the countdown corrects for a phone whose clock is off. */
  serverTime: string;
  onExpired?: () => void;
};

const format = (ms: number) => {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/** "Seats held for 7:42". Announces to screen readers at 2 minutes, 1 minute, 30 seconds and the end only. */
export function HoldCountdown({ expiresAt, serverTime, onExpired }: Props) {
  const [skew] = useState(() => new Date(serverTime).getTime() - Date.now());
  const [left, setLeft] = useState(() => new Date(expiresAt).getTime() - (Date.now() + skew));

  useEffect(() => {
    const end = new Date(expiresAt).getTime();
    const tick = () => setLeft(end - (Date.now() + skew));
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [expiresAt, skew]);

  const expired = left <= 0;
  useEffect(() => {
    if (expired) onExpired?.();
  }, [expired, onExpired]);

  const urgent = left < 60_000;
  const milestone = expired ? 'Your hold has ended.' : left < 30_000 ? '30 seconds left to pay.' : left < 60_000 ? '1 minute left to pay.' : left < 120_000 ? '2 minutes left to pay.' : '';
  return (
    <div className={`flex items-center justify-between gap-3 rounded-lg px-4 py-3 text-sm ${expired ? 'bg-red-50 text-red-900' : urgent ? 'bg-amber-50 text-amber-900' : 'bg-brand-50 text-brand-900'}`}>
      <span>{expired ? 'Your hold on these seats has ended' : 'Seats held for you'}</span>
      <span role="timer" aria-label="Time left to pay" className="font-mono text-lg font-bold tabular-nums">
        {format(left)}
      </span>
      <span className="sr-only" aria-live="assertive">
        {milestone}
      </span>
    </div>
  );
}
