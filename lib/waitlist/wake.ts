import 'server-only';
import { nudgeOutbox } from '@/lib/notifications/deliver-outbox';
import { log } from '@/lib/observability/log';
import { processSingleton } from '@/lib/process-singletons';
import { waitlistDeps } from './deps';
import { runEventOffers, runWaitlistOffers } from './run-waitlist-offers';

const state = processSingleton('waitlistWake', () => ({
  enabled: false,
  everywhere: false,
  pending: new Set<string>(),
}));
/** Seats freed in a burst (many cancellations at once) are offered together, a moment after the first. */
const WAKE_DELAY_MS = 100;

/** The server process turns waking on with its background jobs; elsewhere (tests, scripts) waking does nothing. */
export function enableWaitlistWake(enabled = true): void {
  state.enabled = enabled;
}

/**
 * Called by a path that freed seats of an event, after its transaction committed: offers them to the event's
 * waitlist soon, outside the request (not awaited; the freeing request answers as before). Without a wake the
 * waitlist job finds the seats within its interval anyway.
 */
export function wakeWaitlist(eventId: string): void {
  if (!state.enabled) return;
  const first = state.pending.size === 0;
  state.pending.add(eventId);
  if (!first) return;
  setTimeout(() => {
    const events = [...state.pending];
    state.pending.clear();
    void (async () => {
      const deps = await waitlistDeps();
      let offered = 0;
      for (const id of events) offered += await runEventOffers(deps, id);
      if (offered) nudgeOutbox(deps);
    })().catch((error: unknown) => log().warn({ err: error }, 'waitlist wake failed; the waitlist job retries'));
  }, WAKE_DELAY_MS).unref?.();
}

/** After seats of several events came free at once (the expiry sweep): one waitlist run over every event, soon. */
export function wakeWaitlistEverywhere(): void {
  if (!state.enabled || state.everywhere) return;
  state.everywhere = true;
  setTimeout(() => {
    state.everywhere = false;
    void waitlistDeps()
      .then((deps) => runWaitlistOffers(deps))
      .catch((error: unknown) => log().warn({ err: error }, 'waitlist wake failed; the waitlist job retries'));
  }, WAKE_DELAY_MS).unref?.();
}
