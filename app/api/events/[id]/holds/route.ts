import { requireViewer } from '@/lib/auth/viewer';
import { holdRequestSchema } from '@/lib/contracts/inventory';
import { json, readJson, route } from '@/lib/http/route';
import { getSaleRules, inventoryDeps, placeHold, type HoldTimings } from '@/lib/inventory';
import { assertAdmitted } from '@/lib/queue/assert-admitted';
import { clientIp } from '@/lib/ratelimit/client-ip';
import { enforceRateLimit } from '@/lib/ratelimit/enforce-rate-limit';

/**
 * Hold seats: 201 with the hold, 409 SEATS_UNAVAILABLE naming the seats, 422 for limits and bad seat ids, 403
 * QUEUE_TOKEN_REQUIRED without the waiting room's admission, 429 when the buyer or the address sends too many, or
 * when the buyer let too many holds on this event go unbought lately (a hold-and-abandon loop).
 */
export const POST = route<{ id: string }>('holds.create', async (request, { id }) => {
  const started = performance.now();
  const viewer = await requireViewer(request.headers);
  const deps = await inventoryDeps();
  const rules = await getSaleRules(deps.db, id); // an unknown event is 404, not "join the waiting room"
  // Both ask the coordinator, in the same round trip.
  await Promise.all([assertAdmitted(request, id, viewer), enforceRateLimit('holds', { accountId: viewer.id, ip: clientIp(request.headers), scope: id })]);
  const { seatIds } = await readJson(request, holdRequestSchema, { maxBytes: 8 * 1024 });
  const timings: HoldTimings & { auth?: number } = { auth: performance.now() - started };
  const hold = await placeHold(deps, { eventId: id, userId: viewer.id, seatIds }, { rules, timings });
  return json(hold, { status: 201, headers: { location: `/api/holds/${hold.id}`, 'server-timing': serverTiming(timings) } });
}, { shed: true });

const serverTiming = (timings: Record<string, number>) =>
  Object.entries(timings)
    .map(([step, ms]) => `${step};dur=${ms.toFixed(2)}`)
    .join(', ');
