import 'server-only';
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { events, holds, orders, refunds } from '@/db/schema';
import { rows } from '@/db/sql';
import { catalogChanged } from '@/lib/catalog/catalog-reads';
import { cancelOrder } from '@/lib/checkout/cancel-order';
import type { CheckoutDeps } from '@/lib/checkout/deps';
import { issueRefund } from '@/lib/checkout/issue-refund';
import { eventTag } from '@/lib/coordination/keys';
import { AppError } from '@/lib/errors';
import { forgetSaleRules, releaseHold } from '@/lib/inventory';
import { log } from '@/lib/observability/log';
import { queueEvents } from '@/lib/queue/queue-event';
import { getCancelProgress } from './cancel-event-progress';
import { sameEventName, type CancelEventRequest } from './cancel-event-contract';
import type { CancelProgress } from './dashboard-types';
import { recordAudit } from './record-audit';

/** One pass: how many orders it takes at a time and how long it may run before it hands over to the next pass. */
export type CancelPass = { batch?: number; budgetMs?: number; maxOrders?: number; actorId?: string | null };

const DEFAULT_BATCH = 20;
const LEASE_MS = 60_000;
const SYSTEM = { id: 'system:event-cancellation', role: 'admin' } as const;

/**
 * POST /api/admin/events/{id}/cancel. Marks the event cancelled (one conditional update, audited), which stops the
 * sale at once: PostgreSQL's hold_seats() refuses every hold on an event that is not published, and the waiting room
 * is closed for it. Then it starts refunding: every paid order is cancelled through the buyer's own path
 * (lib/checkout/cancel-order: tickets void, a full 'event_cancelled' refund recorded in the same transaction, paid
 * out under the refund's id as the provider's idempotency key). A request only works for `budgetMs`; the background
 * job (lib/jobs) and every repeat of this request continue where the last pass stopped. Repeating it is harmless.
 */
export async function cancelEvent(
  deps: CheckoutDeps,
  actor: { id: string },
  eventId: string,
  input: CancelEventRequest,
  pass: CancelPass = {},
): Promise<CancelProgress> {
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    const [event] = await tx.select().from(events).where(eq(events.id, eventId)).for('update');
    if (!event) throw new AppError('NOT_FOUND', 'No such event.');
    if (!sameEventName(input.confirmName, event.name)) {
      throw new AppError('VALIDATION_FAILED', `Type the event’s name, “${event.name}”, to confirm.`, {
        errors: [{ path: 'confirmName', message: 'does not match the event name' }],
      });
    }
    if (event.status === 'cancelled') return;
    const [cancelled] = await tx
      .update(events)
      .set({ status: 'cancelled', cancelledAt: now, updatedAt: now })
      .where(and(eq(events.id, eventId), inArray(events.status, ['draft', 'published'])))
      .returning();
    await recordAudit(tx, {
      actorId: actor.id,
      action: 'event.cancel',
      entityType: 'event',
      entityId: eventId,
      before: { status: event.status, cancelledAt: null },
      after: { status: cancelled!.status, cancelledAt: cancelled!.cancelledAt?.toISOString() },
    });
  });
  // This process stops selling at once; other instances within their caches' few seconds (PostgreSQL refuses anyway).
  forgetSaleRules(eventId);
  queueEvents.forget(deps.db, eventId);
  await catalogChanged(deps.db);
  return processEventCancellation(deps, eventId, { ...pass, actorId: actor.id });
}

/**
 * Works through a cancelled event: cancels and refunds its paid orders in batches, and pays out event refunds that
 * are still pending (a crash between recording and paying, a provider outage). Safe to run anywhere at any time: a
 * lease keeps two passes from doing the same work, and if the lease cannot be had (the coordinator is down) the
 * per-order path is idempotent anyway. Returns the progress after this pass.
 */
async function processEventCancellation(
  deps: CheckoutDeps,
  eventId: string,
  pass: CancelPass = {},
): Promise<CancelProgress> {
  const started = Date.now();
  const budgetMs = pass.budgetMs ?? 5_000;
  const batch = pass.batch ?? DEFAULT_BATCH;
  const maxOrders = pass.maxOrders ?? Infinity;
  const lease = `${eventTag(eventId)}:admin:cancel-lease`;
  const owner = crypto.randomUUID();
  const leased = await deps.leases.acquire(lease, owner, LEASE_MS).catch(() => true);
  if (!leased) return getCancelProgress(deps.db, eventId);

  try {
    const [event] = await deps.db.select({ status: events.status }).from(events).where(eq(events.id, eventId));
    if (!event) throw new AppError('NOT_FOUND', 'No such event.');
    if (event.status !== 'cancelled') throw new AppError('INVALID_STATE', 'This event is not cancelled.');

    await releaseOpenHolds(deps, eventId);
    let handled = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    const timeLeft = () => Date.now() - started < budgetMs && handled < maxOrders;
    while (timeLeft()) {
      const next = await deps.db
        .select({ id: orders.id })
        .from(orders)
        .where(and(eq(orders.eventId, eventId), eq(orders.status, 'paid'), gt(orders.id, after)))
        .orderBy(asc(orders.id))
        .limit(Math.min(batch, maxOrders - handled));
      if (next.length === 0) break;
      for (const { id } of next) {
        if (!timeLeft()) break;
        after = id;
        handled++;
        await cancelOrder(deps, SYSTEM, id, {
          reason: 'event_cancelled',
          onCancelled: (tx, before, changed) =>
            recordAudit(tx, {
              actorId: pass.actorId ?? null,
              action: 'order.cancel_for_event',
              entityType: 'order',
              entityId: id,
              before: { status: before.status, refundedMinor: before.refundedMinor },
              after: { status: changed.status, cancelledAt: changed.cancelledAt?.toISOString() },
            }),
        }).catch((error: unknown) =>
          log().error(
            { err: error, orderId: id, eventId },
            'event cancellation: order not cancelled yet; the next pass retries',
          ),
        );
      }
    }
    if (timeLeft()) await payPendingRefunds(deps, eventId);
  } finally {
    await deps.leases.release(lease, owner).catch(() => {});
  }
  const progress = await getCancelProgress(deps.db, eventId);
  if (progress.done) await noteCompletion(deps, eventId, progress);
  return progress;
}

/**
 * Ends the event's open holds through the inventory's own release, so nobody starts paying for seats of a cancelled
 * event. A hold whose payment is already under way stays (release refuses it); if that payment succeeds, its order is
 * paid and the next pass refunds it.
 */
async function releaseOpenHolds(deps: CheckoutDeps, eventId: string): Promise<void> {
  const open = await deps.db
    .select({ id: holds.id, userId: holds.userId })
    .from(holds)
    .where(and(eq(holds.eventId, eventId), eq(holds.status, 'active')))
    .limit(500);
  for (const hold of open) {
    await releaseHold(deps, hold.id, hold.userId).catch((error: unknown) =>
      log().debug({ err: error, holdId: hold.id }, 'event cancellation: hold not released (payment under way)'),
    );
  }
}

/** Event refunds recorded but not paid out yet: paid now, under the same idempotency key as the first attempt. */
async function payPendingRefunds(deps: CheckoutDeps, eventId: string): Promise<void> {
  const pending = await deps.db
    .select({ id: refunds.id })
    .from(refunds)
    .innerJoin(orders, eq(orders.id, refunds.orderId))
    .where(and(eq(orders.eventId, eventId), eq(refunds.reason, 'event_cancelled'), eq(refunds.status, 'pending')))
    .limit(100);
  for (const { id } of pending) {
    await issueRefund(deps, id).catch((error: unknown) =>
      log().warn({ err: error, refundId: id }, 'event refund not paid out yet; retried later'),
    );
  }
}

/** The audit log says once when every order was refunded. */
async function noteCompletion(deps: CheckoutDeps, eventId: string, progress: CancelProgress): Promise<void> {
  await deps.db.transaction(async (tx) => {
    // One writer at a time per event, so the "completed" entry is written once.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`admin:cancel-complete:${eventId}`}, 0))`);
    const [seen] = await rows<{ id: number }>(
      tx,
      sql`select id from audit_log where entity_type = 'event' and entity_id = ${eventId} and action = 'event.cancel.completed' limit 1`,
    );
    if (seen) return;
    await recordAudit(tx, {
      actorId: null,
      action: 'event.cancel.completed',
      entityType: 'event',
      entityId: eventId,
      after: progress,
    });
  });
}

/** The background job: continues every cancelled event that still has orders to refund. */
export async function resumeEventCancellations(deps: CheckoutDeps, pass: CancelPass = {}): Promise<number> {
  const open = await rows<{ id: string }>(
    deps.db,
    sql`select e.id from events e where e.status = 'cancelled'
          and (exists (select 1 from orders o where o.event_id = e.id and o.status = 'paid')
               or exists (select 1 from refunds r join orders o on o.id = r.order_id where o.event_id = e.id and r.reason = 'event_cancelled' and r.status = 'pending'))
        order by e.cancelled_at limit 20`,
  );
  for (const { id } of open) await processEventCancellation(deps, id, pass);
  return open.length;
}
