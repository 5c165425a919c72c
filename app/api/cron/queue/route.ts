import { requireCronSecret } from '@/lib/http/cron';
import { json, route } from '@/lib/http/route';
import { queueDeps } from '@/lib/queue/deps';
import { runQueueTick } from '@/lib/queue/run-queue-tick';

/**
 * The waiting room's background round for hosts without a long-running process (a platform cron calls it with
 * `Authorization: Bearer $CRON_SECRET`): commitments, on-sale draws, and admission for every event on sale.
 */
const tick = route(
  'cron.queue',
  // Any origin: a platform's cron is no browser, and the bearer secret, not a cookie, authenticates it.
  { origin: 'any' },
  async ({ request }) => {
    requireCronSecret(request.headers);
    return json(await runQueueTick({ ...(await queueDeps()), allOnSale: true }));
  },
);

export const GET = tick;
export const POST = tick;
