import 'server-only';
import { queueContext, type QueueAnswer, type QueueDeps } from './context';
import { visitQueue } from './visit-queue';

/** POST /api/events/{id}/queue: takes a place in line (or the pre-queue); joining again keeps the place. */
export async function joinQueue(deps: QueueDeps, input: { eventId: string; accountId: string; cookieHeader: string | null }): Promise<QueueAnswer> {
  return visitQueue(await queueContext(deps, input.eventId, input.accountId), 'join', input.cookieHeader);
}
