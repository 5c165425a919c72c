import { checkoutDeps } from '@/lib/checkout/deps';
import { handleStripeWebhook } from '@/lib/checkout/handle-stripe-webhook';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { json, readRawText, route } from '@/lib/http/route';

/** A Stripe event is a few kilobytes; anything near this is not one. */
const MAX_EVENT_BYTES = 512 * 1024;

/**
 * Stripe's events, verified on the raw body and processed once per event id. The body is read up to
 * MAX_EVENT_BYTES whatever length was declared (a chunked body declares none), so no caller can make the process
 * buffer more. Any origin: Stripe is no browser and sends no cookies; the signature is what authenticates it.
 */
export const POST = route('webhooks.stripe', { origin: 'any' }, async ({ request }) => {
  const secret = env().STRIPE_WEBHOOK_SECRET;
  if (!secret) throw new AppError('NOT_FOUND', 'Stripe is not configured here (the simulated gateway is in use).');
  // The signature covers the exact bytes: read the raw text, never a re-serialised JSON.
  const rawBody = await readRawText(request, MAX_EVENT_BYTES);
  return json(
    await handleStripeWebhook(await checkoutDeps(), {
      rawBody,
      signature: request.headers.get('stripe-signature'),
      secret,
    }),
  );
});
