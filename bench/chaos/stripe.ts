/** The fake Stripe (tests/support/fake-stripe.ts, the real SDK's wire format) as the app's payment provider. */
import { FakeStripe } from '../../tests/support/fake-stripe';

export async function fakeStripeFor(options: {
  autoDeliver: boolean;
  delayMs?: number;
}): Promise<{ fake: FakeStripe; env: Record<string, string>; target: (appUrl: string) => void }> {
  const fake = await new FakeStripe({ autoDeliver: options.autoDeliver, delayMs: options.delayMs ?? 200 }).start();
  return {
    fake,
    env: { STRIPE_SECRET_KEY: fake.secretKey, STRIPE_WEBHOOK_SECRET: fake.webhookSecret, STRIPE_API_URL: fake.url },
    target: (appUrl) => {
      fake.webhook = `${appUrl}/api/webhooks/stripe`;
      fake.autoDeliver = options.autoDeliver;
    },
  };
}

/** Succeeded PaymentIntents per order id (what a buyer's card statement would show). */
export function chargesByOrder(fake: FakeStripe): Map<string, number> {
  const by = new Map<string, number>();
  for (const intent of fake.intents.values()) {
    const orderId = (intent as unknown as { metadata?: { order_id?: string } }).metadata?.order_id;
    if (intent.status === 'succeeded' && orderId) by.set(orderId, (by.get(orderId) ?? 0) + 1);
  }
  return by;
}
