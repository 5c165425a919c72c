import 'server-only';
import { isHighDemandEvent } from '@/lib/security/high-demand';
import { requireProofOfWork } from '@/lib/security/proof-of-work';
import { queueContext, type QueueAnswer, type QueueDeps } from './context';
import { visitQueue } from './visit-queue';

/** A join as it arrives: whose place, the request's cookies, and the proof of work a high-demand event asks for. */
export type JoinQueueInput = { eventId: string; accountId: string; cookieHeader: string | null; proof?: string | null };

/**
 * POST /api/events/{id}/queue: takes a place in line (or the pre-queue); joining again keeps the place. A high-demand
 * event first wants a proof of work bound to this event and account (428 with a challenge without one; the
 * waiting-room page solves it unseen): one cached flag, one HMAC and one SHA-256, before the coordinator is asked.
 */
export async function joinQueue(deps: QueueDeps, input: JoinQueueInput): Promise<QueueAnswer> {
  if (await isHighDemandEvent(deps.db, input.eventId))
    await requireProofOfWork(input.proof, `queue:${input.eventId}:${input.accountId}`, { leases: deps.leases });
  return visitQueue(await queueContext(deps, input.eventId, input.accountId), 'join', input.cookieHeader);
}
