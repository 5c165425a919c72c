import 'server-only';
import { resumeEventCancellations } from '@/lib/admin/cancel-event';
import { applyLatePaymentResults } from '@/lib/checkout/apply-late-payment-results';
import { checkoutDeps } from '@/lib/checkout/deps';
import { deliverOutbox } from '@/lib/notifications/deliver-outbox';
import { reconcilePayments } from '@/lib/checkout/reconcile-payments';
import { inventoryDeps, sweepExpiredHolds } from '@/lib/inventory';
import { pruneChangeFeed } from '@/lib/inventory/prune-change-feed';
import { warmLayouts } from '@/lib/inventory/warm-layouts';
import { getDb } from '@/db/client';
import { log } from '@/lib/observability/log';
import { queueDeps } from '@/lib/queue/deps';
import { runQueueTick } from '@/lib/queue/run-queue-tick';
import { startJobs } from './scheduler';

/** The server process's background work, and where the simulated gateway's late payment results go. */
export function startBackgroundJobs(): void {
  applyLatePaymentResults();
  setTimeout(() => {
    getDb()
      .then((db) => warmLayouts(db))
      .catch((error: unknown) => log().warn({ err: error }, 'layout warm-up failed'));
  }, 1_000).unref?.();
  startJobs([
    { name: 'sweep-expired-holds', everyMs: 5_000, run: async () => sweepExpiredHolds(await inventoryDeps()) },
    { name: 'prune-change-feed', everyMs: 60_000, run: async () => pruneChangeFeed(await inventoryDeps()) },
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
    {
      name: 'queue-tick',
      everyMs: 2_000,
      run: async () => runQueueTick(await queueDeps()),
    },
  ]);
}
