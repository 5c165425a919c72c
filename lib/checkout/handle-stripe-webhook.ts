import 'server-only';
import { and, eq, isNull } from 'drizzle-orm';
import Stripe from 'stripe';
import { webhookEvents } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { log } from '@/lib/observability/log';
import { applyPaymentEvent } from './apply-payment-event';
import { recordWebhook } from './metrics';
import type { CheckoutDeps } from './deps';
import { declineMessage, type PaymentEvent } from './payment-provider';

export type WebhookAnswer = { received: true; duplicate: boolean; type: string; outcome: string };

/**
 * POST /api/webhooks/stripe. The signature is checked on the raw body (a tampered or stale body is 400). The event
 * id is then recorded by an insert that conflicts on a repeat, so a delivery that Stripe retries, or two that race,
 * is processed once. If processing fails the record is removed again, the answer is 500 and Stripe retries later.
 */
export async function handleStripeWebhook(deps: CheckoutDeps, input: { rawBody: string; signature: string | null; secret: string }): Promise<WebhookAnswer> {
  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(input.rawBody, input.signature ?? '', input.secret);
  } catch (error) {
    recordWebhook('signature_invalid');
    throw new AppError('WEBHOOK_SIGNATURE_INVALID', 'The Stripe-Signature header does not match this body and secret, or it is too old.', {}, { cause: error });
  }

  const [recorded] = await deps.db.insert(webhookEvents).values({ id: event.id, provider: 'stripe', type: event.type }).onConflictDoNothing().returning({ id: webhookEvents.id });
  if (!recorded) {
    recordWebhook('duplicate');
    return { received: true, duplicate: true, type: event.type, outcome: 'duplicate' };
  }

  try {
    const translated = toPaymentEvents(event);
    const outcomes: string[] = [];
    for (const paymentEvent of translated) outcomes.push(await applyPaymentEvent(deps, paymentEvent));
    const outcome = outcomes.join(',') || 'ignored';
    await deps.db.update(webhookEvents).set({ outcome, processedAt: deps.now() }).where(eq(webhookEvents.id, event.id));
    recordWebhook('processed');
    return { received: true, duplicate: false, type: event.type, outcome };
  } catch (error) {
    recordWebhook('failed');
    log().error({ err: error, eventId: event.id, type: event.type }, 'stripe webhook failed; Stripe will deliver it again');
    await deps.db.delete(webhookEvents).where(and(eq(webhookEvents.id, event.id), isNull(webhookEvents.processedAt)));
    throw error;
  }
}

/** The Stripe events we act on, in provider-neutral terms. Everything else is recorded and ignored. */
export function toPaymentEvents(event: Stripe.Event): PaymentEvent[] {
  switch (event.type) {
    case 'payment_intent.succeeded': {
      const intent = event.data.object;
      return [{ type: 'payment.succeeded', providerPaymentId: intent.id, orderId: intent.metadata?.order_id ?? null }];
    }
    case 'payment_intent.payment_failed': {
      const intent = event.data.object;
      const code = intent.last_payment_error?.decline_code ?? intent.last_payment_error?.code ?? 'card_declined';
      return [{ type: 'payment.failed', providerPaymentId: intent.id, orderId: intent.metadata?.order_id ?? null, code, message: declineMessage(code, intent.last_payment_error?.message) }];
    }
    case 'refund.created':
    case 'refund.updated': {
      const refund = event.data.object;
      return refundEvents([refund]);
    }
    case 'charge.refunded': {
      const charge = event.data.object;
      return refundEvents(charge.refunds?.data ?? []);
    }
    default:
      return [];
  }
}

function refundEvents(list: Stripe.Refund[]): PaymentEvent[] {
  return list
    .filter((r) => r.status === 'succeeded' || r.status === 'failed' || r.status === 'canceled')
    .map((r) => ({
      type: r.status === 'succeeded' ? ('refund.succeeded' as const) : ('refund.failed' as const),
      providerRefundId: r.id,
      providerPaymentId: typeof r.payment_intent === 'string' ? r.payment_intent : (r.payment_intent?.id ?? null),
      refundId: r.metadata?.refund_id ?? null,
    }));
}
