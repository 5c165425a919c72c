import { cancelEvent } from '@/lib/admin/cancel-event';
import { cancelEventRequestSchema } from '@/lib/admin/cancel-event-contract';
import { getCancelProgress } from '@/lib/admin/cancel-event-progress';
import { checkoutDeps } from '@/lib/checkout/deps';
import { withIdempotency } from '@/lib/checkout/with-idempotency';
import { isUuid } from '@/lib/contracts/uuid';
import { getDb } from '@/db/client';
import { AppError } from '@/lib/errors';
import { json, route } from '@/lib/http/route';

/**
 * Cancel an event: `{ confirmName }` (the event's name, typed) with an `Idempotency-Key`. Stops the sale at once and
 * refunds every paid order; one request works for a few seconds, then answers 202 with the progress while the
 * background job carries on (200 when everything is refunded). Poll GET for the progress. A repeat with a new key
 * continues the work; it never refunds an order twice.
 */
export const POST = route(
  'admin.events.cancel',
  {
    params: ['id'],
    auth: 'admin',
    idempotency: 'required',
    body: { schema: cancelEventRequestSchema, maxBytes: 4 * 1024 },
  },
  async ({ params: { id }, viewer: admin, idempotencyKey: key, body }) => {
    const deps = await checkoutDeps();
    const progress = await withIdempotency(
      deps.db,
      { userId: admin.id, scope: 'admin.event.cancel', key, request: { eventId: id, ...body } },
      () => cancelEvent(deps, admin, id, body),
      {
        now: deps.now,
      },
    );
    return json(progress, {
      status: progress.done ? 200 : 202,
      headers: { location: `/api/admin/events/${id}/cancel` },
    });
  },
);

/** How far the cancellation has come (read from the orders and refunds themselves). */
export const GET = route(
  'admin.events.cancel-progress',
  { params: ['id'], auth: 'admin' },
  async ({ params: { id } }) => {
    if (!isUuid(id)) throw new AppError('NOT_FOUND', 'No such event.');
    return json(await getCancelProgress(await getDb(), id));
  },
);
