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
import { isUuid } from '@/lib/contracts/uuid';

export type WebhookAnswer = { received: true; duplicate: boolean; type: string; outcome: string };

/**
 * POST /api/webhooks/stripe. The signature is checked on the raw body (a tampered or stale body is 400). The event
 * id is then recorded by an insert that conflicts on a repeat, so a delivery that Stripe retries, or two that race,
 * is processed once. If processing fails the record is removed again, the answer is 500 and Stripe retries later.
 */
export async function handleStripeWebhook(
  deps: CheckoutDeps,
  input: { rawBody: string; signature: string | null; secret: string },
): Promise<WebhookAnswer> {
  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(input.rawBody, input.signature ?? '', input.secret);
  } catch (error) {
    recordWebhook('signature_invalid');
    throw new AppError(
      'WEBHOOK_SIGNATURE_INVALID',
      'The Stripe-Signature header does not match this body and secret, or it is too old.',
      {},
      { cause: error },
    );
  }

  // Read before anything is recorded: a signed body that is not an event we can read changes nothing.
  const translated = readableEvent(event) ? toPaymentEvents(event) : null;
  if (!translated)
    throw new AppError('MALFORMED_REQUEST', 'The body is signed but is not a Stripe event this app can read.');

  const [recorded] = await deps.db
    .insert(webhookEvents)
    .values({ id: event.id, provider: 'stripe', type: event.type })
    .onConflictDoNothing()
    .returning({ id: webhookEvents.id });
  if (!recorded) {
    recordWebhook('duplicate');
    return { received: true, duplicate: true, type: event.type, outcome: 'duplicate' };
  }

  try {
    const outcomes: string[] = [];
    for (const paymentEvent of translated) outcomes.push(await applyPaymentEvent(deps, paymentEvent));
    const outcome = outcomes.join(',') || 'ignored';
    await deps.db.update(webhookEvents).set({ outcome, processedAt: deps.now() }).where(eq(webhookEvents.id, event.id));
    recordWebhook('processed');
    return { received: true, duplicate: false, type: event.type, outcome };
  } catch (error) {
    recordWebhook('failed');
    log().error(
      { err: error, eventId: event.id, type: event.type },
      'stripe webhook failed; Stripe will deliver it again',
    );
    await deps.db.delete(webhookEvents).where(and(eq(webhookEvents.id, event.id), isNull(webhookEvents.processedAt)));
    throw error;
  }
}

const STRIPE_ID = /^[A-Za-z0-9_]{1,255}$/;
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const stripeId = (value: unknown) => typeof value === 'string' && STRIPE_ID.test(value);
/** Our ids travel in metadata; anything else there names nothing of ours. */
const ourId = (value: unknown) => (isUuid(value) ? value : null);
/** Free text from Stripe goes into text columns, which cannot hold NUL. */
const text = (value: unknown) => (typeof value === 'string' ? value.replaceAll('\u0000', '').slice(0, 500) : undefined);

/**
 * The signature proves the body came from Stripe, not that it has the shape our code reads: an event id and type,
 * and for the types we act on, objects with Stripe ids. Anything else is refused before it touches the database.
 */
function readableEvent(event: Stripe.Event): boolean {
  const e = event as unknown;
  if (!isObject(e) || !stripeId(e.id) || typeof e.type !== 'string' || !/^[\w.]{1,255}$/.test(e.type)) return false;
  if (
    ![
      'payment_intent.succeeded',
      'payment_intent.payment_failed',
      'refund.created',
      'refund.updated',
      'charge.refunded',
    ].includes(e.type)
  )
    return true;
  const object = isObject(e.data) ? e.data.object : undefined;
  if (!isObject(object)) return false;
  if (e.type.startsWith('payment_intent.')) return stripeId(object.id);
  const list = e.type === 'charge.refunded' ? (isObject(object.refunds) ? object.refunds.data : []) : [object];
  return (
    Array.isArray(list) &&
    list.every(
      (r) =>
        isObject(r) &&
        stripeId(r.id) &&
        (r.payment_intent == null ||
          stripeId(r.payment_intent) ||
          (isObject(r.payment_intent) && stripeId(r.payment_intent.id))),
    )
  );
}

/** The Stripe events we act on, in provider-neutral terms (checked by readableEvent first). Everything else is recorded and ignored. */
function toPaymentEvents(event: Stripe.Event): PaymentEvent[] {
  switch (event.type) {
    case 'payment_intent.succeeded': {
      const intent = event.data.object;
      return [{ type: 'payment.succeeded', providerPaymentId: intent.id, orderId: ourId(intent.metadata?.order_id) }];
    }
    case 'payment_intent.payment_failed': {
      const intent = event.data.object;
      const error = isObject(intent.last_payment_error) ? intent.last_payment_error : undefined;
      const code = text(error?.decline_code) || text(error?.code) || 'card_declined';
      return [
        {
          type: 'payment.failed',
          providerPaymentId: intent.id,
          orderId: ourId(intent.metadata?.order_id),
          code,
          message: declineMessage(code, text(error?.message)),
        },
      ];
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
      refundId: ourId(r.metadata?.refund_id),
    }));
}
