import { json, route } from '@/lib/http/route';
import type { QueueAnswer } from '@/lib/queue/context';
import { queueDeps } from '@/lib/queue/deps';
import { getQueueStatus } from '@/lib/queue/get-queue-status';
import { joinQueue } from '@/lib/queue/join-queue';
import { leaveQueue } from '@/lib/queue/leave-queue';
import { POW_HEADER } from '@/lib/security/proof-of-work';

const answer = ({ status, setCookie }: QueueAnswer) =>
  json(status, setCookie ? { headers: { 'set-cookie': setCookie } } : {});

/**
 * Join the event's waiting room (idempotent: joining again keeps the place). A high-demand event also wants a proof
 * of work in the X-AdmitOne-PoW header (lib/queue/join-queue.ts).
 */
export const POST = route(
  'queue.join',
  { params: ['id'], auth: 'viewer', rateLimit: 'queue-join' },
  async ({ request, params: { id }, viewer }) =>
    answer(
      await joinQueue(await queueDeps(), {
        eventId: id,
        accountId: viewer.id,
        cookieHeader: request.headers.get('cookie'),
        proof: request.headers.get(POW_HEADER),
      }),
    ),
);

/** Position, ETA, seats left and fairness record; sets the admission cookie once admitted. */
export const GET = route(
  'queue.status',
  { params: ['id'], auth: 'viewer', rateLimit: 'queue-status' },
  async ({ request, params: { id }, viewer }) =>
    answer(
      await getQueueStatus(await queueDeps(), {
        eventId: id,
        accountId: viewer.id,
        cookieHeader: request.headers.get('cookie'),
      }),
    ),
);

/** Leave the line, or end the shopping window early and free the place. */
export const DELETE = route(
  'queue.leave',
  { params: ['id'], auth: 'viewer', rateLimit: 'queue-join' },
  async ({ params: { id }, viewer }) =>
    answer(await leaveQueue(await queueDeps(), { eventId: id, accountId: viewer.id })),
);
