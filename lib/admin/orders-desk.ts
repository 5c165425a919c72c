import 'server-only';
import type { Role } from '@/lib/auth/viewer';
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { auditLog, emailOutbox, events, orderItems, orders, user } from '@/db/schema';
import { rows } from '@/db/sql';
import { cancelOrder } from '@/lib/checkout/cancel-order';
import type { CheckoutDeps } from '@/lib/checkout/deps';
import { deliverOutbox, queueEmail } from '@/lib/notifications/deliver-outbox';
import { getOrderForViewer } from '@/lib/checkout/get-order-for-viewer';
import { confirmationEmail } from '@/lib/notifications/order-emails';
import { withIdempotency } from '@/lib/checkout/with-idempotency';
import type { CancelResult } from '@/lib/contracts/checkout';
import { AppError } from '@/lib/errors';
import { log } from '@/lib/observability/log';
import type { DeskOrder, DeskOrderRow, OrderSearchQuery, ResendResult } from './orders-desk-contract';
import { recordAudit } from './record-audit';
import { isUuid } from '@/lib/contracts/uuid';

type Admin = { id: string; role: Role };
const REFERENCE = /^AO-[A-Z0-9-]+$/i;
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Finds orders by reference (what a buyer reads out on the phone), the email on the order or the account's, or the
 * buyer's name. A whole or partial reference matches its start; anything else matches inside email and name.
 * Newest first.
 */
export async function searchOrders(db: Database, query: OrderSearchQuery): Promise<DeskOrderRow[]> {
  const q = query.q?.trim();
  if (!q) return recentOrders(db, query.limit);
  const contains = `%${likeEscape(q)}%`;
  const where = REFERENCE.test(q)
    ? sql`o.reference ilike ${`${likeEscape(q)}%`}`
    : isUuid(q)
      ? sql`o.id = ${q}`
      : sql`(o.reference ilike ${contains} or o.email ilike ${contains} or u.email ilike ${contains} or u.name ilike ${contains})`;
  return findOrders(db, where, query.limit);
}

/** The latest orders, for the desk before anything is searched. */
export async function recentOrders(db: Database, limit = 20): Promise<DeskOrderRow[]> {
  return findOrders(db, sql`true`, limit);
}

async function findOrders(db: Database, where: SQL, limit: number): Promise<DeskOrderRow[]> {
  const found = await rows<{
    id: string;
    reference: string;
    status: DeskOrderRow['status'];
    email: string;
    buyer_name: string;
    event_id: string;
    event_name: string;
    starts_at: Date | string;
    timezone: string;
    currency: string;
    total_minor: number;
    refunded_minor: number;
    tickets: number;
    created_at: Date | string;
  }>(
    db,
    sql`select o.id, o.reference, o.status, o.email, u.name as buyer_name, e.id as event_id, e.name as event_name, e.starts_at, e.timezone,
               o.currency, o.total_minor, o.refunded_minor, (select count(*) from order_items i where i.order_id = o.id)::int as tickets, o.created_at
        from orders o join users u on u.id = o.user_id join events e on e.id = o.event_id
        where ${where}
        order by o.created_at desc, o.id
        limit ${limit}`,
  );
  return found.map((r) => ({
    id: r.id,
    reference: r.reference,
    status: r.status,
    email: r.email,
    buyerName: r.buyer_name,
    eventId: r.event_id,
    eventName: r.event_name,
    eventStartsAt: new Date(r.starts_at).toISOString(),
    eventTimezone: r.timezone,
    currency: r.currency,
    totalMinor: r.total_minor,
    refundedMinor: r.refunded_minor,
    ticketCount: r.tickets,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}

/** One order as the desk sees it: the buyer's view plus who bought it, the emails sent and the audit trail. */
export async function getDeskOrder(
  db: Database,
  orderId: string,
  admin: Admin,
  now: Date = new Date(),
): Promise<DeskOrder> {
  if (admin.role !== 'admin') throw new AppError('NOT_FOUND', 'No such order.');
  const details = await getOrderForViewer(db, orderId, admin, now);
  const [[buyer], emails, audit] = await Promise.all([
    db
      .select({ id: user.id, name: user.name, email: user.email })
      .from(orders)
      .innerJoin(user, eq(user.id, orders.userId))
      .where(eq(orders.id, orderId)),
    db.select().from(emailOutbox).where(eq(emailOutbox.orderId, orderId)).orderBy(asc(emailOutbox.createdAt)),
    db
      .select({ entry: auditLog, actorEmail: user.email })
      .from(auditLog)
      .leftJoin(user, eq(user.id, auditLog.actorId))
      .where(and(eq(auditLog.entityType, 'order'), eq(auditLog.entityId, orderId)))
      .orderBy(desc(auditLog.createdAt))
      .limit(50),
  ]);
  return {
    ...details,
    buyer: buyer!,
    refundable: details.status === 'paid',
    emails: emails.map((e) => ({
      id: e.id,
      kind: e.kind,
      subject: e.subject,
      toEmail: e.toEmail,
      createdAt: e.createdAt.toISOString(),
      sentAt: e.sentAt?.toISOString() ?? null,
    })),
    audit: audit.map(({ entry, actorEmail }) => ({
      id: entry.id,
      action: entry.action,
      actorEmail,
      createdAt: entry.createdAt.toISOString(),
      before: entry.before,
      after: entry.after,
    })),
  };
}

/**
 * The desk's two money actions, both the buyer's own cancellation path (lib/checkout/cancel-order) under an
 * Idempotency-Key: `refund` gives everything back whatever the event's policy says; `cancel` gives what the policy
 * allows, as if the buyer had pressed the button. Either voids the tickets and returns the seats to sale; a repeat
 * (same key) answers the first result, and a new key on a settled order changes nothing.
 */
export async function deskCancelOrder(
  deps: CheckoutDeps,
  admin: Admin,
  orderId: string,
  kind: 'refund' | 'cancel',
  idempotencyKey: string,
): Promise<CancelResult> {
  if (admin.role !== 'admin') throw new AppError('FORBIDDEN', 'This needs an organizer (admin) account.');
  return withIdempotency(
    deps.db,
    { userId: admin.id, scope: `admin.order.${kind}`, key: idempotencyKey, request: { orderId } },
    () =>
      cancelOrder(deps, admin, orderId, {
        reason: kind === 'refund' ? 'admin' : 'requested_by_customer',
        onCancelled: (tx, before, after) =>
          recordAudit(tx, {
            actorId: admin.id,
            action: kind === 'refund' ? 'order.refund_full' : 'order.cancel',
            entityType: 'order',
            entityId: orderId,
            before: { status: before.status, refundedMinor: before.refundedMinor },
            after: { status: after.status, cancelledAt: after.cancelledAt?.toISOString() },
          }),
      }),
    { now: deps.now },
  );
}

/**
 * Sends the order confirmation again through the outbox (the same message the buyer got at payment, with the same
 * link to the tickets), audited. Only paid orders have a confirmation to resend.
 */
export async function resendConfirmation(deps: CheckoutDeps, admin: Admin, orderId: string): Promise<ResendResult> {
  if (admin.role !== 'admin') throw new AppError('FORBIDDEN', 'This needs an organizer (admin) account.');
  if (!isUuid(orderId)) throw new AppError('NOT_FOUND', 'No such order.');
  const queued = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ order: orders, event: { name: events.name, startsAt: events.startsAt, timezone: events.timezone } })
      .from(orders)
      .innerJoin(events, eq(events.id, orders.eventId))
      .where(eq(orders.id, orderId));
    if (!row) throw new AppError('NOT_FOUND', 'No such order.');
    if (row.order.status !== 'paid')
      throw new AppError(
        'INVALID_STATE',
        `Only paid orders have a confirmation to resend; this one is ${row.order.status}.`,
      );
    const items = await tx
      .select()
      .from(orderItems)
      .where(eq(orderItems.orderId, orderId))
      .orderBy(asc(orderItems.sectionLabel), asc(orderItems.rowLabel), asc(orderItems.seatLabel));
    await queueEmail(tx, confirmationEmail(row.order, row.event, items));
    const [email] = await tx
      .select({ id: emailOutbox.id, toEmail: emailOutbox.toEmail })
      .from(emailOutbox)
      .where(and(eq(emailOutbox.orderId, orderId), eq(emailOutbox.kind, 'order_confirmation')))
      .orderBy(desc(emailOutbox.createdAt))
      .limit(1);
    await recordAudit(tx, {
      actorId: admin.id,
      action: 'order.resend_confirmation',
      entityType: 'order',
      entityId: orderId,
      after: { emailId: email!.id, toEmail: email!.toEmail },
    });
    return email!;
  });
  await deliverOutbox(deps.db, deps.email).catch((error: unknown) =>
    log().warn({ err: error }, 'outbox delivery failed; retried later'),
  );
  const [state] = await deps.db
    .select({ sentAt: emailOutbox.sentAt })
    .from(emailOutbox)
    .where(eq(emailOutbox.id, queued.id));
  return { orderId, emailId: queued.id, toEmail: queued.toEmail, sent: Boolean(state?.sentAt) };
}
