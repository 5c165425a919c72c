import { getDb } from '@/db/client';
import { json, route } from '@/lib/http/route';
import { getPublishedDraw } from '@/lib/queue/get-published-draw';
import { clientIp } from '@/lib/ratelimit/client-ip';
import { enforceRateLimit } from '@/lib/ratelimit/enforce-rate-limit';

/** Public: the pre-queue draw record, to recompute the order from the revealed seed (docs/fairness.md). */
export const GET = route<{ id: string }>('queue.draw', async (request, { id }) => {
  await enforceRateLimit('queue-draw', { ip: clientIp(request.headers) });
  const draw = await getPublishedDraw(await getDb(), id);
  // A finished draw never changes again.
  return json(draw, draw.drawnAt ? { headers: { 'cache-control': 'public, max-age=300' } } : {});
});
