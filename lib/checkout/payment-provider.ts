/**
 * The one interface every payment path goes through. Two implementations: Stripe (PaymentIntents created and
 * confirmed server-side from a PaymentMethod id) and the simulated gateway (embedded and dev mode), which answers
 * Stripe's test PaymentMethod ids the way Stripe test mode does.
 *
 * Every call that moves money takes our own id as the idempotency key: the same key never charges or refunds twice,
 * so any step can be retried after a crash or a timeout.
 */

export type ChargeRequest = {
  orderId: string;
  amountMinor: number;
  /** ISO 4217, upper case. */
  currency: string;
  paymentMethodId: string;
  description: string;
  email: string;
};

/**
 * How the buyer paid, as the provider reports the PaymentMethod: the wallet (card.wallet.type such as 'apple_pay' or
 * 'google_pay', or the method's own type when it is not a card), the card's brand and last four digits.
 */
export type PaymentMethodDetails = { wallet: string | null; cardBrand: string | null; cardLast4: string | null };

export type PaymentOutcome =
  | { status: 'succeeded'; providerPaymentId: string; method?: PaymentMethodDetails }
  /** The bank answers later; a webhook (or reconciliation) brings the result. */
  | { status: 'processing'; providerPaymentId: string; method?: PaymentMethodDetails }
  | { status: 'declined'; providerPaymentId: string | null; code: string; message: string };

export type RefundRequest = {
  refundId: string;
  orderId: string;
  providerPaymentId: string;
  amountMinor: number;
  reason: 'requested_by_customer' | 'seats_lost' | 'event_cancelled' | 'duplicate' | 'admin' | 'counter_void';
};

export type RefundOutcome = { status: 'succeeded' | 'pending' | 'failed'; providerRefundId: string };

/** Provider-neutral events, from Stripe webhooks or the simulated gateway's own notifications. */
export type PaymentEvent =
  | { type: 'payment.succeeded'; providerPaymentId: string; orderId: string | null }
  | { type: 'payment.failed'; providerPaymentId: string; orderId: string | null; code: string; message: string }
  | {
      type: 'refund.succeeded' | 'refund.failed';
      providerRefundId: string;
      providerPaymentId: string | null;
      refundId: string | null;
    };

export interface PaymentProvider {
  /** 'counter': money taken at the venue (lib/counter/counter-payments.ts); nothing is called. */
  readonly name: 'stripe' | 'simulated' | 'counter';
  /** Creates and confirms one payment. The same idempotency key returns the first answer and never charges twice. */
  charge(request: ChargeRequest, idempotencyKey: string): Promise<PaymentOutcome>;
  /** The payment's current state (reconciliation, late results). */
  retrieve(providerPaymentId: string): Promise<PaymentOutcome>;
  /** Refunds part or all of a payment. The same idempotency key never refunds twice. */
  refund(request: RefundRequest, idempotencyKey: string): Promise<RefundOutcome>;
}

/** Stripe's wording for the decline codes a buyer is likely to see. */
export function declineMessage(code: string, fallback?: string): string {
  switch (code) {
    case 'insufficient_funds':
      return 'Your card has insufficient funds. Try another card.';
    case 'expired_card':
      return 'Your card has expired. Try another card.';
    case 'incorrect_cvc':
      return 'The security code is incorrect. Check it or try another card.';
    case 'authentication_required':
      return 'Your bank asks for extra authentication that this checkout does not support. Try another card.';
    case 'generic_decline':
    case 'card_declined':
      return 'Your card was declined. Try another card.';
    default:
      return fallback ?? 'Your card was declined. Try another card.';
  }
}
