import 'server-only';
import { sql } from 'drizzle-orm';
import { nudgeOutbox } from '@/lib/notifications/deliver-outbox';
import { rows, ts } from '@/db/sql';
import { log } from '@/lib/observability/log';
import { processSingleton } from '@/lib/process-singletons';
import type { WaitlistDeps } from './deps';
import { offerFreedSeats } from './offer-freed-seats';
import { settleOffers } from './settle-offers';

/** Runs of one event in this process, one after the other (other processes are kept apart by PostgreSQL). */
const running = processSingleton('waitlistRuns', () => new Map<string, Promise<number>>());

/** Settles the event's ended offers, then offers its free seats; never two of these at once per event and process. */
export function runEventOffers(deps: WaitlistDeps, eventId: string): Promise<number> {
  const previous = running.get(eventId) ?? Promise.resolve(0);
  const next = previous
    .catch(() => 0)
    .then(async () => {
      await settleOffers(deps.db, deps.now(), eventId);
      return offerFreedSeats(deps, eventId);
    });
  running.set(eventId, next);
  void next
    .finally(() => {
      if (running.get(eventId) === next) running.delete(eventId);
    })
    .catch(() => {});
  return next;
}

/**
 * The background job (lib/jobs): ends the offers whose holds ended, then offers free seats on every event that is
 * on sale and has people waiting. Seats freed by an expiry, a release, a cancellation or the box office are found
 * here within one interval whatever freed them; the freeing paths also wake it at once (./wake.ts).
 */
export async function runWaitlistOffers(deps: WaitlistDeps, options: { limit?: number } = {}): Promise<number> {
  const now = deps.now();
  await settleOffers(deps.db, now);
  const waiting = await rows<{ event_id: string }>(
    deps.db,
    sql`select distinct w.event_id from waitlist_entries w join events e on e.id = w.event_id
        where w.status = 'waiting' and e.status = 'published' and e.starts_at > ${ts(now)}
        limit ${options.limit ?? 200}`,
  );
  let offered = 0;
  for (const { event_id: eventId } of waiting) {
    try {
      offered += await runEventOffers(deps, eventId);
    } catch (error) {
      log().warn({ err: error, eventId }, 'waitlist offers failed for an event; the next run retries');
    }
  }
  if (offered) nudgeOutbox(deps);
  return offered;
}
