import 'server-only';
import { sql } from 'drizzle-orm';
import type { Order } from '@/db/schema';
import { PG, pgErrorCode, rows, ts } from '@/db/sql';
import { afterSeatsSold } from '@/lib/inventory';
import { log } from '@/lib/observability/log';
import { endShoppingWindow } from '@/lib/queue/end-shopping-window';
import { newTicketNonce } from '@/lib/tickets/issue-tickets';
import type { CheckoutDeps } from './deps';
import { nudgeOutbox } from '@/lib/notifications/deliver-outbox';
import { issueRefund } from './issue-refund';
import { confirmationEmail, seatsLostEmail } from '@/lib/notifications/order-emails';
import type { OrderAmounts } from '@/lib/pricing/amount-lines';

type Settled = { orderId: string; eventId: string; userId: string; orderStatus: Order['status'] };
export type FinaliseOutcome =
  | (Settled & { status: 'paid'; ticketIds: string[] })
  | (Settled & { status: 'seats_lost'; refundId: string; lostSeatIds: number[] })
  /** The order was settled before (a duplicate webhook, a retry): nothing changed. */
  | (Settled & { status: 'unchanged' });

/** What the order's emails say: known to the checkout that just began it, read from the database otherwise. */
export type OrderFacts = {
  reference: string;
  email: string;
  currency: string;
  totalMinor: number;
  /** The bill's lines for the confirmation (subtotal, discount, fees, tax). */
  amounts: OrderAmounts;
  eventName: string;
  startsAt: Date;
  timezone: string;
  seats: { sectionLabel: string; rowLabel: string; seatLabel: string }[];
};

/**
 * A payment succeeded: settle its order in one statement (checkout_finalise, migration 0006). The seats become sold
 * if this buyer's hold still has them, or if they are free (the hold ran out but nobody took them): then the order
 * is paid and the tickets exist. If anyone else has them, the order fails and a refund is recorded in the same
 * transaction, then paid out. So a successful payment always ends with either tickets or a refund. Safe to call
 * again: a settled order is left alone. With `idempotencyKeyId`, the checkout's stored answer is written in the same
 * transaction. Emails go out from the outbox in the background.
 */
export async function finaliseOrder(
  deps: CheckoutDeps,
  input: { orderId: string; providerPaymentId: string; facts?: OrderFacts; idempotencyKeyId?: string },
): Promise<FinaliseOutcome> {
  const now = deps.now();
  const facts = input.facts ?? (await orderFacts(deps, input.orderId));
  if (!facts) throw new Error(`finalise: no order ${input.orderId}`);
  const order = {
    ...facts.amounts,
    id: input.orderId,
    reference: facts.reference,
    email: facts.email,
    currency: facts.currency,
    totalMinor: facts.totalMinor,
  };
  const event = { name: facts.eventName, startsAt: facts.startsAt, timezone: facts.timezone };
  const paidEmail = confirmationEmail(order, event, facts.seats);
  const lostEmail = seatsLostEmail(order, event, facts.totalMinor);
  const email = (m: typeof paidEmail) => JSON.stringify({ to: m.to, subject: m.subject, text: m.text, kind: m.kind });
  const nonces = facts.seats.map(() => newTicketNonce());

  type Detail = {
    ticketIds?: string[];
    seatIds?: number[];
    eventId: string;
    userId: string;
    status: Order['status'];
    refundId?: string;
    lostSeatIds?: number[];
  };
  let result: { outcome: 'paid' | 'seats_lost' | 'unchanged'; detail: Detail } | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      [result] = await rows<NonNullable<typeof result>>(
        deps.db,
        sql`select outcome, detail from checkout_finalise(${input.orderId}, ${input.providerPaymentId}, ${deps.payments.name}, ${ts(now)},
                                                           ${`{${nonces.join(',')}}`}::text[], ${input.idempotencyKeyId ?? null}, ${email(paidEmail)}::jsonb, ${email(lostEmail)}::jsonb)`,
      );
      break;
    } catch (error) {
      // A seat taken by a hold that was still being written when finalise looked: asked again, it answers for sure.
      const code = pgErrorCode(error);
      if (attempt >= 3 || (code !== PG.serializationFailure && code !== PG.deadlockDetected)) throw error;
    }
  }
  if (!result) throw new Error(`finalise: no answer for order ${input.orderId}`);
  const { detail } = result;
  const settled: Settled = {
    orderId: input.orderId,
    eventId: detail.eventId,
    userId: detail.userId,
    orderStatus: detail.status,
  };

  if (result.outcome === 'paid') {
    // After the commit: the filter refuses the sold seats from now on, without asking PostgreSQL.
    void afterSeatsSold(deps, detail.eventId, detail.seatIds ?? []);
    // Every way an order becomes paid (the checkout, a webhook, a late card result, reconciliation) ends the buyer's
    // shopping window: the admission that bought these seats cannot place another hold. Never throws.
    void endShoppingWindow(detail.eventId, detail.userId, { db: deps.db, queue: deps.queue, leases: deps.leases, now });
    nudgeOutbox(deps);
    return { ...settled, status: 'paid', ticketIds: detail.ticketIds ?? [] };
  }
  if (result.outcome === 'seats_lost') {
    const refundId = detail.refundId!;
    log().warn(
      { orderId: input.orderId, lostSeatIds: detail.lostSeatIds },
      'paid after the hold ended and the seats were taken; refunding',
    );
    // If this fails, the refund row stays pending and reconciliation pays it out.
    await issueRefund(deps, refundId).catch((error: unknown) =>
      log().error({ err: error, refundId }, 'automatic refund failed; reconciliation will retry'),
    );
    nudgeOutbox(deps);
    return { ...settled, status: 'seats_lost', refundId, lostSeatIds: detail.lostSeatIds ?? [] };
  }
  return { ...settled, status: 'unchanged' };
}

/** The facts of an order's emails, in one query (webhooks, reconciliation and resumed checkouts). */
async function orderFacts(deps: Pick<CheckoutDeps, 'db'>, orderId: string): Promise<OrderFacts | undefined> {
  const [row] = await rows<{
    reference: string;
    email: string;
    currency: string;
    total_minor: number;
    amounts: OrderAmounts;
    name: string;
    starts_at: Date | string;
    timezone: string;
    seats: { sectionLabel: string; rowLabel: string; seatLabel: string }[] | null;
  }>(
    deps.db,
    sql`select o.reference, o.email, o.currency, o.total_minor,
               jsonb_build_object('subtotalMinor', o.subtotal_minor, 'discountMinor', o.discount_minor, 'discountCode', o.discount_code,
                 'feesMinor', o.fees_minor, 'taxMinor', o.tax_minor, 'taxMode', o.tax_mode, 'taxRateBp', o.tax_rate_bp,
                 'taxLabel', o.tax_label, 'totalMinor', o.total_minor) as amounts,
               e.name, e.starts_at, e.timezone,
               (select jsonb_agg(jsonb_build_object('sectionLabel', i.section_label, 'rowLabel', i.row_label, 'seatLabel', i.seat_label) order by i.event_seat_id)
                  from order_items i where i.order_id = o.id) as seats
        from orders o join events e on e.id = o.event_id where o.id = ${orderId}`,
  );
  if (!row) return undefined;
  return {
    reference: row.reference,
    email: row.email,
    currency: row.currency,
    totalMinor: Number(row.total_minor),
    amounts: row.amounts,
    eventName: row.name,
    startsAt: new Date(row.starts_at),
    timezone: row.timezone,
    seats: row.seats ?? [],
  };
}
