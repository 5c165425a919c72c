import { AppError } from '@/lib/errors';
import { isOperator } from '@/lib/http/operator-access';
import { route } from '@/lib/http/route';
import '@/lib/checkout/metrics';
import '@/lib/inventory/metrics';
import '@/lib/queue/metrics';
import '@/lib/security/hoarding-metrics';
import { metrics } from '@/lib/observability/metrics';

/**
 * Prometheus text format: HTTP latency by route, holds, conflicts, fallbacks, expiries, queue sizes and admissions,
 * rate limits, payments, refunds and webhook outcomes, and the oversell detector (the imports above register every
 * family even before first use). For operators only: `Authorization: Bearer $METRICS_TOKEN`, or a loopback client
 * when no token is set (lib/http/operator-access.ts).
 */
export const GET = route('metrics', {}, async ({ request }) => {
  if (!isOperator(request.headers)) {
    throw new AppError(
      'UNAUTHENTICATED',
      'Metrics need Authorization: Bearer <METRICS_TOKEN> (or, without a token configured, a loopback connection).',
    );
  }
  return new Response(await metrics.render(), {
    headers: { 'content-type': metrics.contentType, 'cache-control': 'no-store' },
  });
});
