import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, text, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { user } from './auth';
import { createdAt, currencyCheck, tz, updatedAt } from './columns';
import { events } from './events';
import { eventSeats, holds } from './inventory';

import { ORDER_STATUSES } from '@/lib/contracts/checkout';

export { ORDER_STATUSES } from '@/lib/contracts/checkout';
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Money is integer minor units (cents) with the event's currency. */
export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Short human reference printed on tickets and used by the orders desk, e.g. "AO-7KQ2-9XZD". */
    reference: text('reference').notNull().unique(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'restrict' }),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'restrict' }),
    holdId: uuid('hold_id').references(() => holds.id, { onDelete: 'set null' }),
    status: text('status', { enum: ORDER_STATUSES }).notNull().default('pending'),
    email: text('email').notNull(),
    currency: text('currency').notNull(),
    subtotalMinor: integer('subtotal_minor').notNull(),
    feesMinor: integer('fees_minor').notNull().default(0),
    totalMinor: integer('total_minor').notNull(),
    refundedMinor: integer('refunded_minor').notNull().default(0),
    failureCode: text('failure_code'),
    failureMessage: text('failure_message'),
    paidAt: tz('paid_at'),
    cancelledAt: tz('cancelled_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('orders_status_check', sql`${t.status} in ('pending', 'paid', 'failed', 'cancelled', 'refunded')`),
    check('orders_currency_check', currencyCheck(t.currency)),
    check(
      'orders_amounts_check',
      sql`${t.subtotalMinor} >= 0 and ${t.feesMinor} >= 0 and ${t.totalMinor} = ${t.subtotalMinor} + ${t.feesMinor}`,
    ),
    check('orders_refunded_check', sql`${t.refundedMinor} between 0 and ${t.totalMinor}`),
    check('orders_paid_at_check', sql`${t.status} not in ('paid', 'cancelled', 'refunded') or ${t.paidAt} is not null`),
    // At most one live order per hold: a second checkout of the same hold cannot create another order.
    uniqueIndex('orders_live_hold_unique')
      .on(t.holdId)
      .where(sql`${t.status} in ('pending', 'paid')`),
    index('orders_user_created_idx').on(t.userId, t.createdAt),
    index('orders_event_status_idx').on(t.eventId, t.status),
    index('orders_email_idx').on(t.email),
  ],
);
export type Order = typeof orders.$inferSelect;

export const orderItems = pgTable(
  'order_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    eventSeatId: bigint('event_seat_id', { mode: 'number' })
      .notNull()
      .references(() => eventSeats.id, { onDelete: 'restrict' }),
    priceMinor: integer('price_minor').notNull(),
    feeMinor: integer('fee_minor').notNull().default(0),
    tierName: text('tier_name').notNull(),
    sectionLabel: text('section_label').notNull(),
    rowLabel: text('row_label').notNull(),
    seatLabel: text('seat_label').notNull(),
  },
  (t) => [
    unique('order_items_order_seat_unique').on(t.orderId, t.eventSeatId),
    check('order_items_price_check', sql`${t.priceMinor} >= 0 and ${t.feeMinor} >= 0`),
  ],
);
export type OrderItem = typeof orderItems.$inferSelect;

export const PAYMENT_STATUSES = ['processing', 'succeeded', 'failed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'restrict' }),
    /** 'counter': taken at the venue's counter by `takenBy` (lib/counter), no provider call. */
    provider: text('provider', { enum: ['stripe', 'simulated', 'counter'] }).notNull(),
    /** The provider's id (a PaymentIntent id); unique so a webhook finds exactly one payment. */
    providerPaymentId: text('provider_payment_id').unique(),
    status: text('status', { enum: PAYMENT_STATUSES }).notNull().default('processing'),
    amountMinor: integer('amount_minor').notNull(),
    currency: text('currency').notNull(),
    /** A PaymentMethod id (pm_...) online; at the counter 'cash' or 'card_present'. */
    paymentMethod: text('payment_method'),
    failureCode: text('failure_code'),
    failureMessage: text('failure_message'),
    /** Counter payments: the box-office staff member who took the money. */
    takenBy: text('taken_by').references(() => user.id, { onDelete: 'restrict' }),
    /** Counter cash: what the buyer handed over, and the change given back (tendered - amount). */
    tenderedMinor: integer('tendered_minor'),
    changeMinor: integer('change_minor'),
    /** Counter card-present: the reference the card terminal printed. */
    terminalReference: text('terminal_reference'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('payments_status_check', sql`${t.status} in ('processing', 'succeeded', 'failed')`),
    check('payments_provider_check', sql`${t.provider} in ('stripe', 'simulated', 'counter')`),
    check(
      'payments_counter_check',
      sql`(${t.provider} = 'counter') = (${t.takenBy} is not null) and (${t.provider} <> 'counter' or ${t.paymentMethod} in ('cash', 'card_present'))`,
    ),
    check(
      'payments_cash_check',
      sql`case when ${t.provider} = 'counter' and ${t.paymentMethod} = 'cash' then ${t.tenderedMinor} >= ${t.amountMinor} and ${t.changeMinor} = ${t.tenderedMinor} - ${t.amountMinor} else ${t.tenderedMinor} is null and ${t.changeMinor} is null end`,
    ),
    check(
      'payments_card_present_check',
      sql`(${t.provider} = 'counter' and ${t.paymentMethod} = 'card_present') = (${t.terminalReference} is not null)`,
    ),
    index('payments_taken_by_idx')
      .on(t.takenBy, t.createdAt)
      .where(sql`${t.takenBy} is not null`),
    check('payments_amount_check', sql`${t.amountMinor} > 0`),
    check('payments_currency_check', currencyCheck(t.currency)),
    // An order is charged at most once.
    uniqueIndex('payments_order_succeeded_unique')
      .on(t.orderId)
      .where(sql`${t.status} = 'succeeded'`),
    index('payments_order_idx').on(t.orderId),
  ],
);
export type Payment = typeof payments.$inferSelect;

export const REFUND_STATUSES = ['pending', 'succeeded', 'failed'] as const;

export const refunds = pgTable(
  'refunds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id, { onDelete: 'restrict' }),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'restrict' }),
    providerRefundId: text('provider_refund_id').unique(),
    amountMinor: integer('amount_minor').notNull(),
    reason: text('reason', {
      enum: ['requested_by_customer', 'seats_lost', 'event_cancelled', 'duplicate', 'admin', 'counter_void'],
    }).notNull(),
    status: text('status', { enum: REFUND_STATUSES }).notNull().default('pending'),
    /** A counter void: the box-office staff member who handed the money back. */
    paidOutBy: text('paid_out_by').references(() => user.id, { onDelete: 'restrict' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('refunds_amount_check', sql`${t.amountMinor} > 0`),
    check('refunds_status_check', sql`${t.status} in ('pending', 'succeeded', 'failed')`),
    check(
      'refunds_reason_check',
      sql`${t.reason} in ('requested_by_customer', 'seats_lost', 'event_cancelled', 'duplicate', 'admin', 'counter_void')`,
    ),
    check('refunds_counter_void_check', sql`(${t.reason} = 'counter_void') = (${t.paidOutBy} is not null)`),
    index('refunds_paid_out_by_idx')
      .on(t.paidOutBy, t.createdAt)
      .where(sql`${t.paidOutBy} is not null`),
    // One refund per payment and reason: a retried cancellation or automatic refund cannot pay out twice.
    unique('refunds_payment_reason_unique').on(t.paymentId, t.reason),
    index('refunds_order_idx').on(t.orderId),
  ],
);
export type Refund = typeof refunds.$inferSelect;

/** Stored answers of idempotent requests, kept at least 24 hours. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    status: text('status', { enum: ['in_progress', 'completed'] })
      .notNull()
      .default('in_progress'),
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body'),
    lockedUntil: tz('locked_until'),
    createdAt: createdAt(),
    expiresAt: tz('expires_at')
      .notNull()
      .default(sql`now() + interval '24 hours'`),
  },
  (t) => [
    unique('idempotency_keys_user_scope_key_unique').on(t.userId, t.scope, t.key),
    check('idempotency_keys_status_check', sql`${t.status} in ('in_progress', 'completed')`),
    check('idempotency_keys_response_check', sql`${t.status} = 'in_progress' or ${t.responseStatus} is not null`),
    check('idempotency_keys_key_check', sql`length(${t.key}) between 8 and 255`),
    check('idempotency_keys_retention_check', sql`${t.expiresAt} >= ${t.createdAt} + interval '24 hours'`),
    index('idempotency_keys_expires_idx').on(t.expiresAt),
  ],
);

/** Each provider event id is recorded once; an insert that conflicts means it was already processed. */
export const webhookEvents = pgTable('webhook_events', {
  id: text('id').primaryKey(),
  provider: text('provider').notNull().default('stripe'),
  type: text('type').notNull(),
  outcome: text('outcome'),
  receivedAt: createdAt(),
  processedAt: tz('processed_at'),
});

/** Messages to buyers; the embedded sender logs them and leaves them here. */
export const emailOutbox = pgTable(
  'email_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    toEmail: text('to_email').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    kind: text('kind').notNull(),
    orderId: uuid('order_id').references(() => orders.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    sentAt: tz('sent_at'),
  },
  (t) => [index('email_outbox_order_idx').on(t.orderId)],
);
