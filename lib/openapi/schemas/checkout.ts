import { z } from 'zod';
import {
  ORDER_STATUSES,
  type CancelResult,
  type CheckoutResult,
  type DeviceKeyResult,
  type OrderDetails,
  type OrderListItem,
  type RefundSummary,
  type ScannerBundle,
  type TicketDetails,
  type TicketSummary,
  type TransferResult,
} from '@/lib/contracts/checkout';
import type { AdmissionResult } from '@/lib/contracts/tickets';
import type { OnlineVerification } from '@/lib/tickets/check-ticket-code';
import { id, instant, minor } from './common';

const orderStatus = z.enum(ORDER_STATUSES);

export const checkoutResultSchema = z
  .object({
    outcome: z
      .enum(['paid', 'processing'])
      .meta({ description: '`processing`: the bank answers later; poll GET /api/orders/{id}' }),
    orderId: id,
    reference: z.string(),
    status: orderStatus,
    totalMinor: minor,
    currency: z.string(),
    ticketIds: z.array(id),
  })
  .meta({ id: 'CheckoutResult' }) satisfies z.ZodType<CheckoutResult>;

const ticketSummary = z.object({
  id,
  status: z.enum(['valid', 'used', 'void']),
  voidReason: z.enum(['cancelled', 'transferred', 'event_cancelled']).nullable(),
  sectionLabel: z.string(),
  rowLabel: z.string(),
  seatLabel: z.string(),
  tierName: z.string(),
  mine: z.boolean().meta({ description: 'the viewer owns this ticket now' }),
}) satisfies z.ZodType<TicketSummary>;

const refundSummary = z
  .object({
    id,
    amountMinor: minor,
    taxMinor: minor.meta({ description: 'the tax inside the amount, returned with the price' }),
    reason: z.enum(['requested_by_customer', 'seats_lost', 'event_cancelled', 'duplicate', 'admin', 'counter_void']),
    status: z.enum(['pending', 'succeeded', 'failed']),
    createdAt: instant,
  })
  .meta({ id: 'Refund' }) satisfies z.ZodType<RefundSummary>;

export const orderListItemSchema = z
  .object({
    id,
    reference: z.string(),
    status: orderStatus,
    eventName: z.string(),
    eventStartsAt: instant,
    eventTimezone: z.string(),
    currency: z.string(),
    totalMinor: minor,
    refundedMinor: minor,
    ticketCount: z.number().int(),
    createdAt: instant,
  })
  .meta({ id: 'OrderListItem' }) satisfies z.ZodType<OrderListItem>;

export const orderListSchema = z.object({
  orders: z.array(orderListItemSchema),
  nextCursor: instant.nullable().meta({ description: 'pass as `cursor` for the next page' }),
});

export const orderDetailsFields = z.object({
  id,
  reference: z.string(),
  status: orderStatus,
  eventId: id,
  eventName: z.string(),
  eventStartsAt: instant,
  eventTimezone: z.string(),
  venueName: z.string(),
  currency: z.string(),
  subtotalMinor: minor,
  feesMinor: minor,
  discountMinor: minor.meta({ description: 'taken from the ticket prices before tax' }),
  discountCode: z.string().nullable(),
  taxMinor: minor.meta({ description: 'added to the total when taxMode is exclusive, contained in it when inclusive' }),
  taxMode: z.enum(['none', 'inclusive', 'exclusive']),
  taxRateBp: z.number().int().meta({ description: 'basis points: 2000 is 20%' }),
  taxLabel: z.string(),
  totalMinor: minor,
  refundedMinor: minor,
  failureCode: z.string().nullable(),
  failureMessage: z.string().nullable(),
  createdAt: instant,
  paidAt: instant.nullable(),
  cancelledAt: instant.nullable(),
  cancelledBy: z.enum(['buyer', 'organizer', 'event']).nullable(),
  items: z.array(
    z.object({
      eventSeatId: z.number().int(),
      sectionLabel: z.string(),
      rowLabel: z.string(),
      seatLabel: z.string(),
      tierName: z.string(),
      priceMinor: minor,
      feeMinor: minor,
      discountMinor: minor,
      taxMinor: minor,
      taxRateBp: z.number().int(),
    }),
  ),
  tickets: z.array(ticketSummary),
  refunds: z.array(refundSummary),
  cancellation: z
    .object({ refundMinor: minor, percent: z.number() })
    .nullable()
    .meta({ description: 'what cancelling now would refund; null when it cannot be cancelled' }),
  paidWith: z
    .object({
      wallet: z
        .string()
        .nullable()
        .meta({ description: "the wallet that paid: 'apple_pay', 'google_pay', 'link', ..." }),
      cardBrand: z.string().nullable().meta({ description: "Stripe's card brand: 'visa', 'mastercard', ..." }),
      cardLast4: z.string().nullable(),
    })
    .nullable()
    .meta({ description: 'how a Stripe payment was made; null when nothing is known (simulated gateway, counter)' }),
});

export const orderDetailsSchema = orderDetailsFields.meta({ id: 'Order' }) satisfies z.ZodType<OrderDetails>;

export const cancelResultSchema = z
  .object({ orderId: id, status: orderStatus, refund: refundSummary.nullable() })
  .meta({ id: 'CancelResult' }) satisfies z.ZodType<CancelResult>;

export const ticketDetailsSchema = ticketSummary
  .extend({
    orderId: id.nullable(),
    orderReference: z.string().nullable(),
    eventId: id,
    eventName: z.string(),
    eventStartsAt: instant,
    eventTimezone: z.string(),
    venueName: z.string(),
    holderName: z.string(),
    code: z.string().nullable().meta({ description: 'the signed code (AO1...) for the QR while the ticket is live' }),
    publicKey: z.string().meta({ description: "the event's Ed25519 public key, base64url" }),
    transferredToEmail: z.string().nullable(),
    pendingTransfer: z.object({ id, toEmail: z.string(), createdAt: instant }).nullable(),
  })
  .meta({ id: 'Ticket' }) satisfies z.ZodType<TicketDetails>;

export const transferResultSchema = z.object({
  transferId: id,
  ticketId: id,
  status: z.literal('pending'),
  toEmail: z.string(),
}) satisfies z.ZodType<TransferResult>;

export const deviceKeyResultSchema = z.object({
  delegation: z.string(),
  expiresAt: instant,
}) satisfies z.ZodType<DeviceKeyResult>;

export const scannerBundleSchema = z.object({
  eventId: id,
  publicKey: z.string(),
  revokedTicketIds: z.array(id),
  generatedAt: instant,
}) satisfies z.ZodType<ScannerBundle>;

const rejection = z.enum([
  'malformed',
  'bad_signature',
  'wrong_event',
  'expired',
  'stale',
  'revoked',
  'device_replaced',
]);

export const verificationSchema = z.union([
  z.object({
    ok: z.literal(true),
    kind: z.enum(['static', 'rotating']),
    ticketId: id,
    eventId: id,
    nonce: z.string(),
    seat: z.string(),
    window: z.number().int().optional(),
    deviceKey: z.string().optional(),
  }),
  z.object({ ok: z.literal(false), reason: rejection, ticketId: id.optional() }),
  z.object({
    ok: z.literal(false),
    reason: z.literal('used'),
    ticketId: id,
    admittedAt: instant,
    gate: z.string().nullable(),
  }),
]) satisfies z.ZodType<OnlineVerification>;

export const admissionResultSchema = z.union([
  z.object({
    admitted: z.literal(true),
    ticketId: id,
    seat: z.string(),
    kind: z.enum(['static', 'rotating']),
    admittedAt: instant,
    gate: z.string(),
  }),
  z.object({
    admitted: z.literal(false),
    reason: z.literal('already_admitted'),
    ticketId: id,
    admittedAt: instant,
    gate: z.string().nullable(),
    message: z.string(),
  }),
  z.object({ admitted: z.literal(false), reason: rejection, ticketId: id.optional(), message: z.string() }),
]) satisfies z.ZodType<AdmissionResult>;
