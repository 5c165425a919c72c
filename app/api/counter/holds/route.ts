import { counterHoldRequestSchema } from '@/lib/contracts/counter';
import { holdAtCounter } from '@/lib/counter/hold-at-counter';
import { json, route } from '@/lib/http/route';
import { inventoryDeps } from '@/lib/inventory';

/**
 * Box office: hold seats in the staff member's name (201), through the same hold as a buyer's, without the waiting
 * room: 409 SEATS_UNAVAILABLE for a seat an online buyer holds or bought. Release with DELETE /api/holds/{id}.
 */
export const POST = route(
  'counter.holds.create',
  { auth: 'box_office', rateLimit: 'counter', body: { schema: counterHoldRequestSchema, maxBytes: 8 * 1024 } },
  async ({ viewer, body }) => {
    const hold = await holdAtCounter(await inventoryDeps(), viewer, body);
    return json(hold, { status: 201, headers: { location: `/api/holds/${hold.id}` } });
  },
);
