import { getDb } from '@/db/client';
import { requireViewer } from '@/lib/auth/viewer';
import { json, route } from '@/lib/http/route';
import type { QueueAnswer } from '@/lib/queue/context';
import { queueDeps } from '@/lib/queue/deps';
import { getQueueStatus } from '@/lib/queue/get-queue-status';
import { joinQueue } from '@/lib/queue/join-queue';
import { leaveQueue } from '@/lib/queue/leave-queue';
import { clientIp } from '@/lib/ratelimit/client-ip';
import { enforceRateLimit } from '@/lib/ratelimit/enforce-rate-limit';
import { isHighDemandEvent } from '@/lib/security/high-demand';
import { POW_HEADER, requireProofOfWork } from '@/lib/security/proof-of-work';

type Params = { id: string };

const answer = ({ status, setCookie }: QueueAnswer) => json(status, setCookie ? { headers: { 'set-cookie': setCookie } } : {});

/**
 * Join the event's waiting room (idempotent: joining again keeps the place). A high-demand event also wants a proof
 * of work (428 with the challenge without one; the waiting-room page solves it unseen): one HMAC and one SHA-256 here.
 */
export const POST = route<Params>('queue.join', async (request, { id }) => {
  const viewer = await requireViewer(request.headers);
  const db = await getDb();
  await Promise.all([
    enforceRateLimit('queue-join', { accountId: viewer.id, ip: clientIp(request.headers) }),
    isHighDemandEvent(db, id).then((high) => (high ? requireProofOfWork(request.headers.get(POW_HEADER), `queue:${id}:${viewer.id}`) : undefined)),
  ]);
  return answer(await joinQueue(await queueDeps(), { eventId: id, accountId: viewer.id, cookieHeader: request.headers.get('cookie') }));
});

/** Position, ETA, seats left and fairness record; sets the admission cookie once admitted. */
export const GET = route<Params>('queue.status', async (request, { id }) => {
  const viewer = await requireViewer(request.headers);
  await enforceRateLimit('queue-status', { accountId: viewer.id, ip: clientIp(request.headers) });
  return answer(await getQueueStatus(await queueDeps(), { eventId: id, accountId: viewer.id, cookieHeader: request.headers.get('cookie') }));
});

/** Leave the line, or end the shopping window early and free the place. */
export const DELETE = route<Params>('queue.leave', async (request, { id }) => {
  const viewer = await requireViewer(request.headers);
  await enforceRateLimit('queue-join', { accountId: viewer.id, ip: clientIp(request.headers) });
  return answer(await leaveQueue(await queueDeps(), { eventId: id, accountId: viewer.id }));
});
