import { POST as checkoutRoute } from '@/app/api/checkout/route';
import { call } from './http';

/**
 * POST /api/checkout through its handler, as the browser sends it: pays for `holdId` as whoever `cookie` signs in,
 * with a new Idempotency-Key unless `key` is given, by the test card `paymentMethodId` (pm_card_visa).
 */
export const payThroughRoute = (
  cookie: string | undefined,
  holdId: string,
  options: { paymentMethodId?: string; key?: string } = {},
) =>
  call(checkoutRoute, {
    method: 'POST',
    url: '/api/checkout',
    cookie,
    headers: { 'idempotency-key': options.key ?? crypto.randomUUID() },
    body: { holdId, paymentMethodId: options.paymentMethodId ?? 'pm_card_visa' },
  });
