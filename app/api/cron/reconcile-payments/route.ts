import { checkoutDeps } from '@/lib/checkout/deps';
import { reconcilePayments } from '@/lib/checkout/reconcile-payments';
import { requireCronSecret } from '@/lib/http/cron';
import { json, route } from '@/lib/http/route';

/** For hosts without a long-running process: settles stuck payments and refunds. The server also runs it itself. */
export const POST = route(
  'cron.reconcile-payments',
  // Any origin: a platform's cron is no browser, and the bearer secret, not a cookie, authenticates it.
  { origin: 'any' },
  async ({ request }) => {
    requireCronSecret(request.headers);
    return json(await reconcilePayments(await checkoutDeps()));
  },
);
