import { checkHealth } from '@/lib/health';
import { isOperator } from '@/lib/http/operator-access';
import { json, route } from '@/lib/http/route';

/**
 * Up (200) when the database answers with its migrations applied, down (503) otherwise. Everyone learns that much;
 * the details (database host or data path, coordinator, latencies) only operators (lib/http/operator-access.ts).
 */
export const GET = route('health', {}, async ({ request }) => {
  const report = await checkHealth();
  const down = report.status === 'down';
  return json(isOperator(request.headers) ? report : { status: down ? 'down' : 'up' }, { status: down ? 503 : 200 });
});
