import { metrics } from '@/lib/observability/metrics';

const payments = metrics.counter(
  'admitone_payments_total',
  'Charge attempts answered by the payment provider, by provider and outcome (succeeded, declined, processing)',
  ['provider', 'outcome'],
);
const refunds = metrics.counter('admitone_refunds_total', 'Refunds settled, by outcome (succeeded, failed, pending)', [
  'outcome',
]);
const webhooks = metrics.counter(
  'admitone_webhooks_total',
  'Stripe webhook deliveries, by outcome (processed, duplicate, signature_invalid, failed)',
  ['outcome'],
);

export const recordPayment = (provider: string, outcome: string) => payments.inc({ provider, outcome });
export const recordRefund = (outcome: string) => refunds.inc({ outcome });
export const recordWebhook = (outcome: 'processed' | 'duplicate' | 'signature_invalid' | 'failed') =>
  webhooks.inc({ outcome });
