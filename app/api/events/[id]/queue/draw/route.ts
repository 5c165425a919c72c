import { getDb } from '@/db/client';
import { json, route } from '@/lib/http/route';
import { getPublishedDraw } from '@/lib/queue/get-published-draw';

/** Public: the pre-queue draw record, to recompute the order from the revealed seed (docs/fairness.md). */
export const GET = route('queue.draw', { params: ['id'], rateLimit: 'queue-draw' }, async ({ params: { id } }) => {
  const draw = await getPublishedDraw(await getDb(), id);
  // A finished draw never changes again.
  return json(draw, draw.drawnAt ? { headers: { 'cache-control': 'public, max-age=300' } } : {});
});
