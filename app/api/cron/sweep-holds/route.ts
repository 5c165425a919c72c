import { requireCronSecret } from '@/lib/http/cron';
import { json, route } from '@/lib/http/route';
import { inventoryDeps, sweepExpiredHolds } from '@/lib/inventory';

/** For hosts without a long-running process: frees the seats of expired holds. The server also runs it itself. */
export const POST = route(
  'cron.sweep-holds',
  // Any origin: a platform's cron is no browser, and the bearer secret, not a cookie, authenticates it.
  { origin: 'any' },
  async ({ request }) => {
    requireCronSecret(request.headers);
    return json({ freedSeats: await sweepExpiredHolds(await inventoryDeps()) });
  },
);
