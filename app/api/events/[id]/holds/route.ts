import { requireViewer } from '@/lib/auth/viewer';
import { holdRequestSchema } from '@/lib/contracts/inventory';
import { json, readJson, route } from '@/lib/http/route';
import { getSaleRules, inventoryDeps, placeHold, type HoldTimings } from '@/lib/inventory';
import { requireAdmissionToken } from '@/lib/queue/assert-admitted';
import { clientIp } from '@/lib/ratelimit/client-ip';

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
  const admission = await requireAdmissionToken(request, id, viewer);
  const { seatIds } = await readJson(request, holdRequestSchema, { maxBytes: 8 * 1024 });
  const timings: HoldTimings & { auth?: number } = { auth: performance.now() - started };
  // The seat claim also checks that the window was not ended early and counts the hold budgets: one round trip.
  const guard = { admission: { visitor: admission.vid, untilMs: admission.exp * 1000 }, ip: clientIp(request.headers) };
  const hold = await placeHold(deps, { eventId: id, userId: viewer.id, seatIds }, { rules, timings, guard });
  return json(hold, { status: 201, headers: { location: `/api/holds/${hold.id}`, 'server-timing': serverTiming(timings) } });
}, { shed: true });

const serverTiming = (timings: Record<string, number>) =>
  Object.entries(timings)
    .map(([step, ms]) => `${step};dur=${ms.toFixed(2)}`)
    .join(', ');
