import 'server-only';
import Stripe from 'stripe';
import { isSupportedCurrency } from '@/lib/contracts/currency';
import { AppError } from '@/lib/errors';
import {
  declineMessage,
  type ChargeRequest,
  type PaymentMethodDetails,
  type PaymentOutcome,
  type PaymentProvider,
  type RefundOutcome,
  type RefundRequest,
} from './payment-provider';

export type StripeConnection = { secretKey: string; apiUrl?: string; timeoutMs?: number };

/** A Stripe client; with `apiUrl` it talks to another server speaking Stripe's API (the tests' fake Stripe). */
export function createStripeClient({ secretKey, apiUrl, timeoutMs }: StripeConnection): Stripe {
  if (!apiUrl) return new Stripe(secretKey, { maxNetworkRetries: 2, timeout: timeoutMs ?? 20_000 });
  const url = new URL(apiUrl);
  return new Stripe(secretKey, {
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    // Our own idempotency keys make retries safe, but the caller (checkout, reconciliation) decides when to retry.
    maxNetworkRetries: 0,
    timeout: timeoutMs ?? 20_000,
  });
}

/**
 * PaymentIntents created and confirmed server-side from a PaymentMethod id the browser made (the Payment Element,
 * with a card or a wallet such as Apple Pay or Google Pay; or a test id such as pm_card_visa). Our order id is the
 * idempotency key of the create call, so a retried checkout gets the same PaymentIntent back instead of a second
 * charge. The PaymentMethod comes back expanded, so the order can say which wallet and card paid (decision 049).
 */
export class StripeProvider implements PaymentProvider {
  readonly name = 'stripe' as const;

  constructor(private readonly stripe: Stripe) {}

  async charge(request: ChargeRequest, idempotencyKey: string): Promise<PaymentOutcome> {
    const amount = stripeAmount(request.amountMinor, request.currency);
    try {
      const intent = await this.stripe.paymentIntents.create(
        {
          amount,
          currency: request.currency.toLowerCase(),
          payment_method: request.paymentMethodId,
          confirm: true,
          // Server-side confirmation only: a payment method that would need a redirect is refused, not left hanging.
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
          description: request.description,
          receipt_email: request.email,
          metadata: { order_id: request.orderId },
          expand: ['payment_method'],
        },
        { idempotencyKey },
      );
      return outcomeOf(intent);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeCardError) {
        const code = error.decline_code ?? error.code ?? 'card_declined';
        return {
          status: 'declined',
          providerPaymentId: error.payment_intent?.id ?? null,
          code,
          message: declineMessage(code, error.message),
        };
      }
      if (error instanceof Stripe.errors.StripeInvalidRequestError && error.param === 'payment_method') {
        return {
          status: 'declined',
          providerPaymentId: null,
          code: 'invalid_payment_method',
          message: 'This card cannot be used. Try another card.',
        };
      }
      throw providerError('create the payment', error);
    }
  }

  async retrieve(providerPaymentId: string): Promise<PaymentOutcome> {
    try {
      return outcomeOf(await this.stripe.paymentIntents.retrieve(providerPaymentId, { expand: ['payment_method'] }));
    } catch (error) {
      throw providerError('read the payment', error);
    }
  }

  async refund(request: RefundRequest, idempotencyKey: string): Promise<RefundOutcome> {
    try {
      const refund = await this.stripe.refunds.create(
        {
          payment_intent: request.providerPaymentId,
          amount: request.amountMinor,
          // Stripe knows three reasons; ours are finer and travel in the metadata.
          ...(request.reason === 'duplicate'
            ? { reason: 'duplicate' as const }
            : request.reason === 'requested_by_customer'
              ? { reason: 'requested_by_customer' as const }
              : {}),
          metadata: { order_id: request.orderId, refund_id: request.refundId, reason: request.reason },
        },
        { idempotencyKey },
      );
      const status =
        refund.status === 'succeeded'
          ? 'succeeded'
          : refund.status === 'failed' || refund.status === 'canceled'
            ? 'failed'
            : 'pending';
      return { status, providerRefundId: refund.id };
    } catch (error) {
      throw providerError('refund the payment', error);
    }
  }
}

/**
 * The amount as Stripe's API takes it: in the currency's smallest unit, which is how we store it for every currency
 * an event can be priced in (lib/contracts/currency.ts, decision 045): 5000 is ¥5,000 and €50.00 alike, never
 * ×100 for yen. A code outside that list (Stripe counts ISK, HUF, TWD and the three-decimal dinars its own way) is
 * refused before anything is charged.
 */
export function stripeAmount(amountMinor: number, currency: string): number {
  if (!isSupportedCurrency(currency))
    throw new AppError('PAYMENT_PROVIDER_ERROR', `Payments in ${currency} are not supported.`);
  return amountMinor;
}

function outcomeOf(intent: Stripe.PaymentIntent): PaymentOutcome {
  switch (intent.status) {
    case 'succeeded':
      return withMethod({ status: 'succeeded', providerPaymentId: intent.id }, intent);
    case 'processing':
    case 'requires_capture':
      return withMethod({ status: 'processing', providerPaymentId: intent.id }, intent);
    case 'requires_action': {
      return {
        status: 'declined',
        providerPaymentId: intent.id,
        code: 'authentication_required',
        message: declineMessage('authentication_required'),
      };
    }
    default: {
      const error = intent.last_payment_error;
      const code = error?.decline_code ?? error?.code ?? (intent.status === 'canceled' ? 'canceled' : 'card_declined');
      return { status: 'declined', providerPaymentId: intent.id, code, message: declineMessage(code, error?.message) };
    }
  }
}

const STRIPE_WORD = /^[a-z0-9_]{1,32}$/;
const word = (value: unknown) => (typeof value === 'string' && STRIPE_WORD.test(value) ? value : null);

/** The wallet and card of an expanded PaymentMethod (an id alone, as in a webhook, says nothing). */
export function paymentMethodDetails(
  paymentMethod: Stripe.PaymentIntent['payment_method'],
): PaymentMethodDetails | null {
  if (!paymentMethod || typeof paymentMethod === 'string') return null;
  const card = paymentMethod.type === 'card' ? paymentMethod.card : null;
  const details = {
    wallet: word(card ? card.wallet?.type : paymentMethod.type),
    cardBrand: word(card?.brand),
    cardLast4: typeof card?.last4 === 'string' && /^[0-9]{4}$/.test(card.last4) ? card.last4 : null,
  };
  return details.wallet || details.cardBrand || details.cardLast4 ? details : null;
}

function withMethod<T extends { status: 'succeeded' | 'processing'; providerPaymentId: string }>(
  outcome: T,
  intent: Stripe.PaymentIntent,
): T & { method?: PaymentMethodDetails } {
  const method = paymentMethodDetails(intent.payment_method);
  return method ? { ...outcome, method } : outcome;
}

function providerError(what: string, error: unknown): AppError {
  const status = (error as { statusCode?: number }).statusCode;
  const detail = `Stripe could not ${what}${status ? ` (HTTP ${status})` : ''}. Try again in a moment: a retry never charges twice.`;
  return new AppError('PAYMENT_PROVIDER_ERROR', detail, {}, { cause: error });
}
