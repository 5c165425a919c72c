import { json, route } from '@/lib/http/route';
import { checkHealth } from '@/lib/health';

/**
 * Readiness: 200 when this instance can sell (the database answers with every migration applied), 503 otherwise.
 * A coordinator outage is "degraded", still ready: holds go to PostgreSQL alone.
 */
export const GET = route('health.ready', async () => {
  const report = await checkHealth();
  return json(report, { status: report.status === 'down' ? 503 : 200, headers: report.status === 'down' ? { 'retry-after': '5' } : {} });
});
