import 'server-only';
import { resumeEventCancellations } from '@/lib/admin/cancel-event';
import { applyLatePaymentResults } from '@/lib/checkout/apply-late-payment-results';
import { checkoutDeps } from '@/lib/checkout/deps';
import { deliverOutbox } from '@/lib/notifications/deliver-outbox';
import { reconcilePayments } from '@/lib/checkout/reconcile-payments';
import { inventoryDeps, sweepExpiredHolds } from '@/lib/inventory';
import { flushFunnelCounts } from '@/lib/analytics/funnel-counts';
import { flushHoldOutcomes, pruneHoldOutcomes } from '@/lib/inventory/metrics';
import { pruneChangeFeed } from '@/lib/inventory/prune-change-feed';
import { warmLayouts } from '@/lib/inventory/warm-layouts';
import { getDb } from '@/db/client';
import { log } from '@/lib/observability/log';
import { queueDeps } from '@/lib/queue/deps';
import { runQueueTick } from '@/lib/queue/run-queue-tick';
import { getCoordinator } from '@/lib/coordination';
import { env } from '@/lib/env';
import { runWaitlistOffers } from '@/lib/waitlist/run-waitlist-offers';
import { waitlistDeps } from '@/lib/waitlist/deps';
import { enableWaitlistWake, wakeWaitlistEverywhere } from '@/lib/waitlist/wake';
import { databaseNamespace, processOwner, startJobs } from './scheduler';

/**
 * The server process's background work, and where the simulated gateway's late payment results go. Each job runs once
 * per interval across every app process sharing the coordinator (a lease per interval, ./scheduler.ts), except those
 * marked `process`, which work on this process's own state.
 */
export function startBackgroundJobs(): void {
  applyLatePaymentResults();
  enableWaitlistWake();
  setTimeout(() => {
    getDb()
      .then((db) => warmLayouts(db))
      .catch((error: unknown) => log().warn({ err: error }, 'layout warm-up failed'));
  }, 1_000).unref?.();
  startJobs(
    [
      {
        name: 'sweep-expired-holds',
        everyMs: 5_000,
        run: async () => {
          const freed = await sweepExpiredHolds(await inventoryDeps());
          // Seats of expired holds (waitlist offers that lapsed among them) go to the waitlists at once.
          if (freed) wakeWaitlistEverywhere();
          return freed;
        },
      },
      // Waitlists: end offers whose holds ended, offer free seats to the next parties they fit (lib/waitlist/).
      { name: 'waitlist-offers', everyMs: 3_000, run: async () => runWaitlistOffers(await waitlistDeps()) },
      { name: 'prune-change-feed', everyMs: 60_000, run: async () => pruneChangeFeed(await inventoryDeps()) },
      { name: 'prune-hold-outcomes', everyMs: 600_000, run: async () => pruneHoldOutcomes(await getDb()) },
      { name: 'reconcile-payments', everyMs: 60_000, run: async () => reconcilePayments(await checkoutDeps()) },
      // Mail queued in the transactions that made it true (orders paid, refunds, transfers); requests only nudge it.
      {
        name: 'deliver-outbox',
        everyMs: 2_000,
        run: async () => {
          const deps = await checkoutDeps();
          return deliverOutbox(deps.db, deps.email);
        },
      },
      // Cancelled events: refund the orders a cancel request did not get to (many orders, a crash, late payments).
      {
        name: 'event-cancellations',
        everyMs: 5_000,
        run: async () => resumeEventCancellations(await checkoutDeps(), { budgetMs: 4_000 }),
      },
      // Waiting room: seed commitments, on-sale draws, admission of queues this instance served (polls admit too).
      // Per process: it admits for the queues this process served lately (lib/queue/active-queues.ts).
      {
        name: 'queue-tick',
        everyMs: 2_000,
        scope: 'process',
        run: async () => runQueueTick(await queueDeps()),
      },
      // Per process: adds this process's hold outcomes to the shared counts the dashboard reads.
      {
        name: 'flush-hold-outcomes',
        everyMs: 2_000,
        scope: 'process',
        run: async () => flushHoldOutcomes(await getDb()),
      },
      // Per process: adds this process's funnel counts (page views, waiting-room joins, admissions) to the shared ones.
      {
        name: 'flush-funnel-counts',
        everyMs: 2_000,
        scope: 'process',
        run: async () => flushFunnelCounts(await getDb()),
      },
    ],
    {
      leases: () => getCoordinator().leases,
      owner: processOwner(),
      namespace: databaseNamespace(env().DATABASE_URL),
    },
  );
}
