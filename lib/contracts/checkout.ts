import { z } from 'zod';
import { UUID_PATTERN } from './uuid';

/**
 * Checkout, orders and tickets: shared by route handlers, server actions, pages and tests. No server imports.
 * Money is integer minor units with an ISO currency code; times are ISO 8601 strings.
 */

const uuid = z.string().regex(UUID_PATTERN, 'must be a UUID');

/** Stripe PaymentMethod ids (pm_...), the only thing the browser sends about a card. */
const paymentMethodIdSchema = z
  .string({ error: 'paymentMethodId is required' })
  .regex(/^pm_[A-Za-z0-9_]{1,250}$/, 'paymentMethodId must be a PaymentMethod id such as pm_card_visa');

/** A discount code as a buyer types it: trimmed, any case; stored codes are upper case. */
export const typedDiscountCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9-]{2,31}$/, 'a discount code is 3 to 32 letters, digits or dashes');

export const checkoutRequestSchema = z
  .object({
    holdId: uuid,
    paymentMethodId: paymentMethodIdSchema,
    /** Optional: the discount code the buyer applied; its use is counted with the order (decision 040). */
    discountCode: typedDiscountCodeSchema.optional(),
  })
  .strict();
export type CheckoutRequest = z.infer<typeof checkoutRequestSchema>;

/** The Idempotency-Key header (or the server action's argument): printable ASCII, 8 to 255 characters. */
export const idempotencyKeySchema = z
  .string({ error: 'an idempotency key is required' })
  .regex(/^[\x21-\x7e]{8,255}$/, 'the idempotency key must be 8 to 255 printable ASCII characters without spaces');

/**
 * Test PaymentMethod ids understood by the simulated gateway and the test Stripe server. The first three are
 * Stripe's own test ids; `pm_card_delayed` stands for a payment method whose result arrives later (it answers
 * `processing`, then succeeds a few seconds later with a webhook), which real Stripe test cards do not offer.
 */
export const TEST_PAYMENT_METHODS = [
  { id: 'pm_card_visa', label: 'Visa ending 4242', outcome: 'succeeds' },
  { id: 'pm_card_chargeDeclined', label: 'Visa ending 0002', outcome: 'is declined' },
  {
    id: 'pm_card_chargeDeclinedInsufficientFunds',
    label: 'Visa ending 9995',
    outcome: 'is declined for insufficient funds',
  },
  { id: 'pm_card_delayed', label: 'Slow bank card', outcome: 'succeeds after a few seconds', simulatedOnly: true },
] as const;

/** The test cards a provider understands: Stripe's own test mode has no slow card. */
export const testPaymentMethodsFor = (provider: 'simulated' | 'stripe') =>
  TEST_PAYMENT_METHODS.filter((pm) => provider === 'simulated' || !('simulatedOnly' in pm));

export const ORDER_STATUSES = ['pending', 'paid', 'failed', 'cancelled', 'refunded'] as const;
export type OrderStatusName = (typeof ORDER_STATUSES)[number];

/**
 * 200/201/202 answer of POST /api/checkout and of the checkout action. Errors are problem documents:
 * 402 PAYMENT_DECLINED (`declineCode`, the hold stays), 409 HOLD_NOT_ACTIVE (the hold ended before payment),
 * 409 SEATS_UNAVAILABLE with `orderId` and `refund` (paid, but the seats were taken: refunded automatically),
 * 409 CONFLICT (another payment for this hold is running), 422 IDEMPOTENCY_KEY_REUSED, 409 IDEMPOTENCY_KEY_IN_PROGRESS.
 */
export type CheckoutResult = {
  /** `paid`: tickets issued. `processing`: the bank answers later; poll GET /api/orders/{id}. */
  outcome: 'paid' | 'processing';
  orderId: string;
  reference: string;
  status: OrderStatusName;
  totalMinor: number;
  currency: string;
  ticketIds: string[];
};

export type TicketSummary = {
  id: string;
  status: 'valid' | 'used' | 'void';
  voidReason: 'cancelled' | 'transferred' | 'event_cancelled' | null;
  sectionLabel: string;
  rowLabel: string;
  seatLabel: string;
  tierName: string;
  /** True when the viewer owns this ticket now (a transferred-away ticket stays on the order, void). */
  mine: boolean;
};

export type RefundSummary = {
  id: string;
  amountMinor: number;
  /** The tax inside the amount, returned with the price. */
  taxMinor: number;
  reason: 'requested_by_customer' | 'seats_lost' | 'event_cancelled' | 'duplicate' | 'admin' | 'counter_void';
  status: 'pending' | 'succeeded' | 'failed';
  createdAt: string;
};

/** GET /api/orders/{id}. */
export type OrderDetails = {
  id: string;
  reference: string;
  status: OrderStatusName;
  eventId: string;
  eventName: string;
  eventStartsAt: string;
  eventTimezone: string;
  venueName: string;
  currency: string;
  subtotalMinor: number;
  feesMinor: number;
  discountMinor: number;
  /** The code the order used, as the organizer wrote it. */
  discountCode: string | null;
  taxMinor: number;
  taxMode: 'none' | 'inclusive' | 'exclusive';
  taxRateBp: number;
  taxLabel: string;
  totalMinor: number;
  refundedMinor: number;
  failureCode: string | null;
  failureMessage: string | null;
  createdAt: string;
  paidAt: string | null;
  cancelledAt: string | null;
  /** Who cancelled a cancelled or refunded order: its buyer, the organizer (orders desk), or the event's cancellation. */
  cancelledBy: 'buyer' | 'organizer' | 'event' | null;
  items: {
    eventSeatId: number;
    sectionLabel: string;
    rowLabel: string;
    seatLabel: string;
    tierName: string;
    priceMinor: number;
    feeMinor: number;
    discountMinor: number;
    /** The tax in the line (added when the order's tax is exclusive, contained when inclusive) and its rate. */
    taxMinor: number;
    taxRateBp: number;
  }[];
  tickets: TicketSummary[];
  refunds: RefundSummary[];
  /** What cancelling now would refund, by the event's policy; null when the order cannot be cancelled. */
  cancellation: { refundMinor: number; percent: number } | null;
  /**
   * How the paid order was paid, as Stripe reported the PaymentMethod (decision 049): the wallet ('apple_pay',
   * 'google_pay', 'link', ...), the card's brand and last four digits. Null when nothing is known (the simulated
   * gateway, the counter, an unpaid order).
   */
  paidWith: PaidWith | null;
};

export type PaidWith = { wallet: string | null; cardBrand: string | null; cardLast4: string | null };

/** One row of GET /api/orders (newest first). */
export type OrderListItem = {
  id: string;
  reference: string;
  status: OrderStatusName;
  eventName: string;
  eventStartsAt: string;
  eventTimezone: string;
  currency: string;
  totalMinor: number;
  refundedMinor: number;
  ticketCount: number;
  createdAt: string;
};

export const orderListQuerySchema = z.object({
  cursor: z.string().datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** 200 answer of POST /api/orders/{id}/cancel (the same on every repeat). */
export type CancelResult = {
  orderId: string;
  status: OrderStatusName;
  refund: RefundSummary | null;
};

export const transferRequestSchema = z
  .object({
    email: z.string().trim().toLowerCase().email('enter the email address of their AdmitOne account').max(254),
  })
  .strict();
export type TransferRequest = z.infer<typeof transferRequestSchema>;

/**
 * POST /api/tickets/{id}/transfer: the same answer whether or not an account uses the email (nobody learns which
 * emails have accounts). The ticket stays the sender's until the recipient claims it.
 */
export type TransferResult = { transferId: string; ticketId: string; status: 'pending'; toEmail: string };

/** POST /api/transfers/claim: the secret from the link in the recipient's email. */
export const claimTransferSchema = z
  .object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'use the link from the email') })
  .strict();
export type ClaimTransferRequest = z.infer<typeof claimTransferSchema>;
export type ClaimTransferResult = { transferId: string; status: 'claimed'; ticketId: string };
export type CancelTransferResult = { transferId: string; status: 'cancelled' };

/** A transfer in flight, as its sender or its recipient sees it. */
export type PendingTransfer = {
  id: string;
  ticketId: string;
  toEmail: string;
  fromName: string;
  eventName: string;
  eventStartsAt: string;
  eventTimezone: string;
  sectionLabel: string;
  rowLabel: string;
  seatLabel: string;
  createdAt: string;
};

/** GET /api/tickets/{id}: the ticket with its signed code for the QR. */
export type TicketDetails = TicketSummary & {
  /** The order it was bought with; null for a ticket someone transferred to the viewer (their order is not ours). */
  orderId: string | null;
  orderReference: string | null;
  eventId: string;
  eventName: string;
  eventStartsAt: string;
  eventTimezone: string;
  venueName: string;
  holderName: string;
  /** The static signed code (AO1...) while the ticket is live; null once void. */
  code: string | null;
  /** The event's Ed25519 public key (base64url, 32 bytes): what a door scanner verifies codes with. */
  publicKey: string;
  transferredToEmail: string | null;
  /** The transfer waiting for its recipient, shown to the sender with a way to cancel it. */
  pendingTransfer: { id: string; toEmail: string; createdAt: string } | null;
};

/** POST /api/tickets/{id}/device-key: the browser's device key, certified for the rotating code. */
export const deviceKeyRequestSchema = z
  .object({
    publicKey: z
      .string()
      .regex(/^[A-Za-z0-9_-]{43}$/, 'publicKey must be a raw Ed25519 public key in base64url (43 characters)'),
  })
  .strict();
export type DeviceKeyRequest = z.infer<typeof deviceKeyRequestSchema>;
export type DeviceKeyResult = { delegation: string; expiresAt: string };

/** GET /api/tickets/scanner?eventId=: what a door scanner loads before the doors open (admin only). */
export const scannerQuerySchema = z.object({ eventId: uuid });
export type ScannerBundle = { eventId: string; publicKey: string; revokedTicketIds: string[]; generatedAt: string };

/** POST /api/tickets/verify (admin): the online check of a scanned code. */
export const verifyCodeRequestSchema = z
  .object({ code: z.string().min(10).max(2000), eventId: uuid.optional() })
  .strict();

/**
 * The server actions' inputs (lib/http/action.ts): what the matching route takes, plus what a route reads from its
 * path or headers, because an action has neither (the checkout page's idempotency key comes as an argument). An id
 * that is not the caller's is the domain's 404, as on the route.
 */
const entityId = z.string().max(100);
export const payActionSchema = checkoutRequestSchema.extend({ idempotencyKey: idempotencyKeySchema });
export const cancelOrderActionSchema = z.object({ orderId: entityId }).strict();
export const transferActionSchema = transferRequestSchema.extend({ ticketId: entityId });
export const cancelTransferActionSchema = z.object({ transferId: entityId }).strict();
