import { checkHealth } from '@/lib/health';
import { isOperator } from '@/lib/http/operator-access';
import { json, route } from '@/lib/http/route';

/**
 * Readiness: 200 when this instance can sell (the database answers with every migration applied), 503 otherwise.
 * A coordinator outage is "degraded", still ready: holds go to PostgreSQL alone. The status code is for every load
 * balancer; the report for operators only (`Authorization: Bearer $METRICS_TOKEN`, or loopback without a token).
 */
export const GET = route('health.ready', {}, async ({ request }) => {
  const report = await checkHealth();
  const down = report.status === 'down';
  return json(isOperator(request.headers) ? report : { status: down ? 'down' : 'up' }, {
    status: down ? 503 : 200,
    headers: down ? { 'retry-after': '5' } : {},
  });
});
