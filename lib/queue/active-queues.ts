import { processSingleton } from '@/lib/process-singletons';

/**
 * Events whose queue this process served lately. The scheduler ticks these (admission also happens lazily on every
 * poll); each instance ticks the queues its own visitors use, so nothing here needs to be shared.
 */
// One per process (lib/process-singletons.ts): route handlers and the background jobs are separate bundles with
// separate module instances.
const seen = processSingleton('activeQueues', () => new Map<string, number>());
const REMEMBER_MS = 30 * 60_000;

export function noteQueueActivity(eventId: string, nowMs: number = Date.now()): void {
  seen.set(eventId, nowMs);
}

export function recentlyActiveQueues(nowMs: number = Date.now()): string[] {
  const out: string[] = [];
  for (const [eventId, at] of seen) {
    if (at < nowMs - REMEMBER_MS) seen.delete(eventId);
    else out.push(eventId);
  }
  return out;
}
