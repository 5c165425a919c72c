import { requireViewer } from '@/lib/auth/viewer';
import { holdRequestSchema } from '@/lib/contracts/inventory';
import { json, readJson, route } from '@/lib/http/route';
import { inventoryDeps, placeHold, type HoldTimings } from '@/lib/inventory';

/** Hold seats: 201 with the hold, 409 SEATS_UNAVAILABLE naming the seats, 422 for limits and bad seat ids. */
export const POST = route<{ id: string }>('holds.create', async (request, { id }) => {
  const started = performance.now();
  const viewer = await requireViewer(request.headers);
  const { seatIds } = await readJson(request, holdRequestSchema, { maxBytes: 8 * 1024 });
  const timings: HoldTimings & { auth?: number } = { auth: performance.now() - started };
  const hold = await placeHold(await inventoryDeps(), { eventId: id, userId: viewer.id, seatIds }, timings);
  return json(hold, { status: 201, headers: { location: `/api/holds/${hold.id}`, 'server-timing': serverTiming(timings) } });
});

const serverTiming = (timings: Record<string, number>) =>
  Object.entries(timings)
    .map(([step, ms]) => `${step};dur=${ms.toFixed(2)}`)
    .join(', ');
