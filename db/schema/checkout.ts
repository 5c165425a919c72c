import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { user } from './auth';
import { createdAt, currencyCheck, tz, updatedAt } from './columns';
import { events } from './events';
import { eventSeats, holds } from './inventory';

import { ORDER_STATUSES } from '@/lib/contracts/checkout';
import { DISCOUNT_KINDS, DISCOUNT_SCOPES, TAX_MODES } from '@/lib/contracts/pricing';

export { ORDER_STATUSES } from '@/lib/contracts/checkout';
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * An organizer's discount codes for one event (decision 040). `usesCount` counts the live (pending or paid) orders
 * that use the code; triggers keep it (migration 0015): an order's insert takes a use under the code's row lock,
 * or raises SQLSTATE DC001 naming why not, and the order's failure, cancellation or refund gives it back. The check
 * constraint makes an overrun impossible even for a path that forgot the trigger.
 */
export const discountCodes = pgTable(
  'discount_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    /** Upper case letters, digits and dashes; buyers may type it in any case. */
    code: text('code').notNull(),
    kind: text('kind', { enum: DISCOUNT_KINDS }).notNull(),
    /** Basis points for a percentage (1000 = 10%), minor units of the event's currency for a fixed amount. */
    value: integer('value').notNull(),
    scope: text('scope', { enum: DISCOUNT_SCOPES }).notNull(),
    maxUses: integer('max_uses'),
    perAccountLimit: integer('per_account_limit'),
    validFrom: tz('valid_from'),
    validUntil: tz('valid_until'),
    active: boolean('active').notNull().default(true),
    usesCount: integer('uses_count').notNull().default(0),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    unique('discount_codes_event_code_unique').on(t.eventId, t.code),
    check('discount_codes_code_check', sql`${t.code} ~ '^[A-Z0-9][A-Z0-9-]{2,31}$'`),
    check('discount_codes_kind_check', sql`${t.kind} in ('percent', 'fixed') and ${t.scope} in ('order', 'ticket')`),
    check('discount_codes_value_check', sql`${t.value} > 0 and (${t.kind} <> 'percent' or ${t.value} <= 10000)`),
    check(
      'discount_codes_limits_check',
      sql`(${t.maxUses} is null or ${t.maxUses} >= 1) and (${t.perAccountLimit} is null or ${t.perAccountLimit} >= 1)`,
    ),
    check(
      'discount_codes_uses_check',
      sql`${t.usesCount} >= 0 and (${t.maxUses} is null or ${t.usesCount} <= ${t.maxUses})`,
    ),
    check(
      'discount_codes_validity_check',
      sql`${t.validFrom} is null or ${t.validUntil} is null or ${t.validFrom} < ${t.validUntil}`,
    ),
  ],
);
export type DiscountCode = typeof discountCodes.$inferSelect;

/**
 * Money is integer minor units (cents) with the event's currency. The amounts are decided once, when the order is
 * recorded (lib/pricing/price-order.ts): total = subtotal − discount + fees (+ tax when it is exclusive).
 */
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
    discountMinor: integer('discount_minor').notNull().default(0),
    taxMinor: integer('tax_minor').notNull().default(0),
    /** The event's tax rule when the order was recorded: later changes to the event do not touch it. */
    taxMode: text('tax_mode', { enum: TAX_MODES }).notNull().default('none'),
    taxRateBp: integer('tax_rate_bp').notNull().default(0),
    taxLabel: text('tax_label').notNull().default(''),
    discountCodeId: uuid('discount_code_id').references(() => discountCodes.id, { onDelete: 'restrict' }),
    /** The code as the organizer wrote it, shown on the order and in emails. */
    discountCode: text('discount_code'),
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
      sql`${t.subtotalMinor} >= 0 and ${t.feesMinor} >= 0 and ${t.taxMinor} >= 0 and ${t.discountMinor} between 0 and ${t.subtotalMinor} and ${t.totalMinor} = ${t.subtotalMinor} - ${t.discountMinor} + ${t.feesMinor} + (case when ${t.taxMode} = 'exclusive' then ${t.taxMinor} else 0 end)`,
    ),
    check('orders_tax_mode_check', sql`${t.taxMode} in ('none', 'inclusive', 'exclusive')`),
    check('orders_discount_code_check', sql`(${t.discountCodeId} is null) = (${t.discountCode} is null)`),
    check('orders_refunded_check', sql`${t.refundedMinor} between 0 and ${t.totalMinor}`),
    check('orders_paid_at_check', sql`${t.status} not in ('paid', 'cancelled', 'refunded') or ${t.paidAt} is not null`),
    // At most one live order per hold: a second checkout of the same hold cannot create another order.
    uniqueIndex('orders_live_hold_unique')
      .on(t.holdId)
      .where(sql`${t.status} in ('pending', 'paid')`),
    index('orders_user_created_idx').on(t.userId, t.createdAt),
    index('orders_event_status_idx').on(t.eventId, t.status),
    index('orders_email_idx').on(t.email),
    index('orders_discount_code_idx')
      .on(t.discountCodeId, t.userId)
      .where(sql`${t.discountCodeId} is not null`),
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
    discountMinor: integer('discount_minor').notNull().default(0),
    /** The tax in this line (added or included per the order's tax mode) and the rate it was computed with. */
    taxMinor: integer('tax_minor').notNull().default(0),
    taxRateBp: integer('tax_rate_bp').notNull().default(0),
    tierName: text('tier_name').notNull(),
    sectionLabel: text('section_label').notNull(),
    rowLabel: text('row_label').notNull(),
    seatLabel: text('seat_label').notNull(),
  },
  (t) => [
    unique('order_items_order_seat_unique').on(t.orderId, t.eventSeatId),
    check(
      'order_items_price_check',
      sql`${t.priceMinor} >= 0 and ${t.feeMinor} >= 0 and ${t.taxMinor} >= 0 and ${t.discountMinor} between 0 and ${t.priceMinor}`,
    ),
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
    /**
     * Online payments, as the provider reports the PaymentMethod once paid (decision 049): the wallet that paid
     * (card.wallet.type: 'apple_pay', 'google_pay', ...; or the method's type when it is not a card, such as 'link'),
     * the card's brand and last four digits. Null when the provider says nothing (the simulated gateway).
     */
    wallet: text('wallet'),
    cardBrand: text('card_brand'),
    cardLast4: text('card_last4'),
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
    check('payments_card_last4_check', sql`${t.cardLast4} ~ '^[0-9]{4}$'`),
    check('payments_method_details_check', sql`length(${t.wallet}) <= 32 and length(${t.cardBrand}) <= 32`),
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
    /** The tax inside the amount: the order's tax in proportion, set by a trigger on insert (migration 0015). */
    taxMinor: integer('tax_minor').notNull().default(0),
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
    check('refunds_amount_check', sql`${t.amountMinor} > 0 and ${t.taxMinor} between 0 and ${t.amountMinor}`),
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
