'use client';

import { useEffect, useRef, useState } from 'react';
import { ButtonAnchor } from '@/components/ui/plain-button';
import { countOf } from '@/lib/format';

/** Moments worth announcing to screen readers (seconds before sales open); every tick would be noise. */
const ANNOUNCE_AT = [3600, 600, 300, 60, 30, 10];

export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const unit = (n: number, word: string) => countOf(n, word, `${word}s`);
  if (days > 0) return `${unit(days, 'day')} ${unit(hours, 'hour')}`;
  if (hours > 0) return `${unit(hours, 'hour')} ${unit(minutes, 'minute')}`;
  if (minutes > 0) return `${unit(minutes, 'minute')} ${unit(seconds, 'second')}`;
  return unit(seconds, 'second');
}

/** The ticking display under a day: 1:05:09. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const two = (n: number) => String(n).padStart(2, '0');
  const hours = Math.floor(total / 3600);
  return `${hours > 0 ? `${hours}:` : ''}${hours > 0 ? two(Math.floor((total % 3600) / 60)) : Math.floor((total % 3600) / 60)}:${two(total % 60)}`;
}

/**
 * Counts down to the on-sale time. Time left is measured against the server's clock (`serverTime` of the page
 * render), so a wrong clock on the device does not matter. The visible timer ticks every second; screen readers
 * hear it only at a few moments and when sales open. At zero the way into seat selection appears.
 */
type WaitingRoom = { url: string; opensAt: string; opensAtLabel: string };

/** The fair draw in one line, wherever the way into the waiting room is offered. */
export const FAIR_DRAW_LINE =
  'Everyone who joins before sales open gets a place in line drawn at random when they open, so there is no need to be first.';

export function OnSaleCountdown({
  opensAt,
  serverTime,
  seatsUrl,
  opensAtLabel,
  waitingRoom,
}: {
  opensAt: string;
  serverTime: string;
  seatsUrl: string;
  opensAtLabel: string;
  /** The pre-queue: offered as "Join the waiting room" from the moment it opens (measured on the server's clock). */
  waitingRoom?: WaitingRoom;
}) {
  const target = Date.parse(opensAt);
  const [remaining, setRemaining] = useState(() => target - Date.parse(serverTime));
  const [announcement, setAnnouncement] = useState('');
  const skew = useRef<number | null>(null);
  const lastAnnounced = useRef<number | null>(null);

  useEffect(() => {
    skew.current ??= Date.parse(serverTime) - Date.now();
    const tick = () => {
      const left = target - (Date.now() + skew.current!);
      setRemaining(left);
      const seconds = Math.ceil(left / 1000);
      if (left <= 0) {
        if (lastAnnounced.current !== 0) setAnnouncement('Sales are open. You can choose seats now.');
        lastAnnounced.current = 0;
        return false;
      }
      // The smallest announced moment already reached; the one reached on load is not read out (the page says it).
      const reached = ANNOUNCE_AT.filter((m) => seconds <= m).at(-1) ?? Infinity;
      if (lastAnnounced.current !== null && reached < lastAnnounced.current)
        setAnnouncement(`Sales open in ${formatRemaining(left)}.`);
      if (lastAnnounced.current === null || reached < lastAnnounced.current) lastAnnounced.current = reached;
      return true;
    };
    if (!tick()) return;
    const timer = setInterval(() => {
      if (!tick()) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [target, serverTime]);

  const open = remaining <= 0;
  return (
    <div>
      {open ? (
        <ButtonAnchor href={seatsUrl} className="w-full">
          Choose seats
        </ButtonAnchor>
      ) : (
        <div className="rounded-lg bg-amber-50 p-3 text-amber-950 ring-1 ring-inset ring-amber-200">
          <p className="text-sm">
            On sale <strong>{opensAtLabel}</strong>
          </p>
          <p className="mt-1 text-sm">
            Opens in{' '}
            <span
              role="timer"
              aria-label={`Sales open in ${formatRemaining(remaining)}`}
              className="font-semibold tabular-nums"
            >
              {remaining >= 86_400_000 ? formatRemaining(remaining) : formatClock(remaining)}
            </span>
          </p>
        </div>
      )}
      {!open && waitingRoom && (
        <WaitingRoomWay room={waitingRoom} open={target - remaining >= Date.parse(waitingRoom.opensAt)} />
      )}
      <p aria-live="polite" aria-atomic="true" className="sr-only">
        {announcement}
      </p>
    </div>
  );
}

function WaitingRoomWay({ room, open }: { room: WaitingRoom; open: boolean }) {
  return open ? (
    <div className="mt-3">
      <ButtonAnchor href={room.url} className="w-full">
        Join the waiting room
      </ButtonAnchor>
      <p className="mt-2 text-xs text-slate-700">{FAIR_DRAW_LINE}</p>
    </div>
  ) : (
    <p className="mt-3 text-xs text-slate-700">
      The waiting room opens <strong>{room.opensAtLabel}</strong>. {FAIR_DRAW_LINE}
    </p>
  );
}
