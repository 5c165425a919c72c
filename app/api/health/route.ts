import { json, route } from '@/lib/http/route';
import { checkHealth } from '@/lib/health';

/** Liveness with dependency status: 200 when the database answers with its migrations applied, else 503. */
export const GET = route('health', async () => {
  const report = await checkHealth();
  return json(report, { status: report.status === 'down' ? 503 : 200 });
});
