import { getDb } from '@/db/client';
import { queueDrawQuerySchema } from '@/lib/contracts/queue';
import { json, readQuery, route } from '@/lib/http/route';
import { getPublishedDraw } from '@/lib/queue/get-published-draw';

/**
 * Public: the pre-queue draw record, to recompute the order from the revealed seed (docs/fairness.md); with
 * ?presale=<id>, that presale line's draw.
 */
export const GET = route(
  'queue.draw',
  { params: ['id'], rateLimit: 'queue-draw' },
  async ({ request, params: { id } }) => {
    const { presale } = readQuery(request, queueDrawQuerySchema);
    const draw = await getPublishedDraw(await getDb(), id, presale?.toLowerCase());
    // A finished draw never changes again.
    return json(draw, draw.drawnAt ? { headers: { 'cache-control': 'public, max-age=300' } } : {});
  },
);
