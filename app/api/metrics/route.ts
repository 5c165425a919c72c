import { route } from '@/lib/http/route';
import { metrics } from '@/lib/observability/metrics';

/** Prometheus text format: holds, conflicts, fallbacks, expiries, latency by route. */
export const GET = route('metrics', async () => {
  return new Response(await metrics.render(), { headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' } });
});
