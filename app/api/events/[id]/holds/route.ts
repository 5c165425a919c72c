import { getDb } from '@/db/client';
import { holdRequestSchema, type HoldRequest } from '@/lib/contracts/inventory';
import { json, route } from '@/lib/http/route';
import { holdSeats, inventoryDeps, refusalBeforeAuth, type HoldTimings } from '@/lib/inventory';
import { clientIp } from '@/lib/ratelimit/client-ip';

/**
 * Hold seats: 201 with the hold, 409 SEATS_UNAVAILABLE naming the seats, 422 for limits and bad seat ids, 403
 * QUEUE_TOKEN_REQUIRED without the waiting room's admission, 429 when the buyer or the address sends too many, or
 * when the buyer let too many holds on this event go unbought lately (a hold-and-abandon loop).
 */
export const POST = route(
  'holds.create',
  {
    params: ['id'],
    // Sold seats are refused before the session, the admission and Redis are read: the same answer for everyone.
    refuseEarly: ({ params: { id }, body }) => refusalBeforeAuth(getDb, id!, (body as HoldRequest).seatIds),
    auth: 'viewer',
    body: { schema: holdRequestSchema, maxBytes: 8 * 1024 },
    shed: true,
  },
  async ({ request, params: { id }, viewer, body: { seatIds }, started }) => {
    const timings: HoldTimings & { auth?: number } = { auth: performance.now() - started };
    const hold = await holdSeats(
      await inventoryDeps(),
      viewer,
      { eventId: id, seatIds, cookieHeader: request.headers.get('cookie'), ip: clientIp(request.headers) },
      timings,
    );
    return json(hold, {
      status: 201,
      headers: { location: `/api/holds/${hold.id}`, 'server-timing': serverTiming(timings) },
    });
  },
);

const serverTiming = (timings: Record<string, number>) =>
  Object.entries(timings)
    .map(([step, ms]) => `${step};dur=${ms.toFixed(2)}`)
    .join(', ');
