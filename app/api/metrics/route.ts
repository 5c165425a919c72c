import { route } from '@/lib/http/route';
import '@/lib/checkout/metrics';
import '@/lib/inventory/metrics';
import '@/lib/queue/metrics';
import { metrics } from '@/lib/observability/metrics';

/**
 * Prometheus text format: HTTP latency by route, holds, conflicts, fallbacks, expiries, queue sizes and admissions,
 * rate limits, payments, refunds and webhook outcomes, and the oversell detector (the imports above register every family even before first use).
 */
export const GET = route('metrics', async () => {
  return new Response(await metrics.render(), { headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' } });
});
