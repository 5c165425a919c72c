import { counterSaleRequestSchema } from '@/lib/contracts/counter';
import { counterDeps } from '@/lib/counter/deps';
import { sellAtCounter } from '@/lib/counter/sell-at-counter';
import { json, route } from '@/lib/http/route';

/**
 * Box office: record the cash or card-present payment for the staff member's hold and issue the tickets. Needs an
 * `Idempotency-Key`: a double click or a retry answers the first sale, never a second one.
 */
export const POST = route(
  'counter.sales.create',
  {
    auth: 'box_office',
    rateLimit: 'counter',
    idempotency: 'required',
    body: { schema: counterSaleRequestSchema, maxBytes: 8 * 1024 },
  },
  async ({ viewer, body, idempotencyKey }) =>
    json(await sellAtCounter(await counterDeps(), viewer, body, idempotencyKey)),
);
