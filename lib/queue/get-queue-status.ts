import 'server-only';
import { queueContext, type QueueAnswer, type QueueDeps } from './context';
import { visitQueue } from './visit-queue';

/** GET /api/events/{id}/queue: the visitor's place, ETA and seats left; sets the admission cookie once admitted. */
export async function getQueueStatus(
  deps: QueueDeps,
  input: { eventId: string; accountId: string; cookieHeader: string | null },
): Promise<QueueAnswer> {
  return visitQueue(await queueContext(deps, input.eventId, input.accountId), 'status', input.cookieHeader);
}
