import { checkoutDeps } from '@/lib/checkout/deps';
import { handleStripeWebhook } from '@/lib/checkout/handle-stripe-webhook';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { json, route } from '@/lib/http/route';

/** Stripe's events, verified on the raw body and processed once per event id. */
export const POST = route('webhooks.stripe', async (request) => {
  const secret = env().STRIPE_WEBHOOK_SECRET;
  if (!secret) throw new AppError('NOT_FOUND', 'Stripe is not configured here (the simulated gateway is in use).');
  if (Number(request.headers.get('content-length') ?? 0) > 512 * 1024) throw new AppError('PAYLOAD_TOO_LARGE', 'A Stripe event is never this large.');
  // The signature covers the exact bytes: read the raw text, never a re-serialised JSON.
  const rawBody = await request.text();
  return json(await handleStripeWebhook(await checkoutDeps(), { rawBody, signature: request.headers.get('stripe-signature'), secret }));
});
