import { countOf } from '@/lib/format';

/**
 * Countdown arithmetic, kept apart from React so it can be tested with plain numbers. The server says when the
 * hold ends and what time it was when it answered; the difference to the browser's clock at that moment is the
 * skew, so a wrong client clock does not shorten or lengthen the hold.
 */

export type Deadline = { expiresAtMs: number; skewMs: number };

/** `serverTime` as seen by this browser at `receivedAtMs` (its own clock). */
export function deadline(expiresAt: string, serverTime: string, receivedAtMs: number): Deadline {
  return { expiresAtMs: Date.parse(expiresAt), skewMs: Date.parse(serverTime) - receivedAtMs };
}

export function remainingMs(d: Deadline, nowMs: number): number {
  return Math.max(0, d.expiresAtMs - (nowMs + d.skewMs));
}

/** "7:59"; rounds up so the display reaches 0:00 exactly when the hold ends. */
export function formatRemaining(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

export const URGENT_BELOW_MS = 2 * 60_000;

/** Moments announced to screen readers: a few, not every second. */
export const MILESTONES_MS = [5 * 60_000, 2 * 60_000, 60_000, 30_000, 10_000] as const;

/** The milestone crossed between two readings of the remaining time, if any (the smallest one crossed). */
export function crossedMilestone(previousMs: number, currentMs: number): number | null {
  let crossed: number | null = null;
  for (const m of MILESTONES_MS) if (previousMs > m && currentMs <= m) crossed = m;
  return crossed;
}

export function spokenDuration(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  const parts: string[] = [];
  if (minutes) parts.push(countOf(minutes, 'minute', 'minutes'));
  if (seconds || !minutes) parts.push(countOf(seconds, 'second', 'seconds'));
  return parts.join(' ');
}
