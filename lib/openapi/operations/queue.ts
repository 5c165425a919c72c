import { z } from 'zod';
import { queueDraw, queueStatus } from '../schemas/contracts';
import { POW_HEADER } from '@/lib/security/proof-of-work-solver';
import { ok, type ApiOperation } from '../operation';
import { redeemAccessCodeSchema, redemptionSchema } from '@/lib/contracts/presale';
import { queueDrawQuerySchema } from '@/lib/contracts/queue';

const status = {
  description: 'The visitor’s place: state, position, ETA, admission; sets the admission cookie once admitted',
  schema: queueStatus,
};

export const QUEUE: ApiOperation[] = [
  {
    method: 'post',
    path: '/api/events/{id}/queue',
    id: 'queue.join',
    tag: 'Waiting room',
    summary: 'Join the waiting room',
    description:
      'Idempotent: joining again keeps the place. A high-demand event wants a proof of work first (428 with the `challenge`).',
    access: 'viewer',
    headers: z.object({
      [POW_HEADER]: z.string().optional().meta({ description: 'the solved challenge, for a high-demand event' }),
    }),
    responses: { 200: status },
    errors: ['NOT_FOUND', 'EVENT_NOT_ON_SALE', 'PROOF_OF_WORK_REQUIRED', 'RATE_LIMITED'],
  },
  {
    method: 'get',
    path: '/api/events/{id}/queue',
    id: 'queue.status',
    tag: 'Waiting room',
    summary: 'Position, ETA and admission',
    access: 'viewer',
    responses: { 200: status },
    errors: ['NOT_FOUND', 'RATE_LIMITED'],
  },
  {
    method: 'delete',
    path: '/api/events/{id}/queue',
    id: 'queue.leave',
    tag: 'Waiting room',
    summary: 'Leave the line, or end the shopping window early',
    access: 'viewer',
    responses: { 200: status },
    errors: ['NOT_FOUND', 'RATE_LIMITED'],
  },
  {
    method: 'get',
    path: '/api/events/{id}/queue/draw',
    id: 'queue.draw',
    tag: 'Waiting room',
    summary: 'The pre-queue draw record',
    description:
      'Everything needed to recompute the pre-queue order from the revealed seed (docs/fairness.md). With `?presale=<presale id>` (the queue page of a presale line links it), that presale line’s own draw, committed to before its pre-queue opens and published at the presale’s start the same way.',
    access: 'public',
    query: queueDrawQuerySchema,
    responses: ok('The draw (seed and entries null until drawn)', queueDraw),
    errors: ['NOT_FOUND', 'RATE_LIMITED'],
  },
  {
    method: 'post',
    path: '/api/events/{id}/access-code',
    id: 'events.access-code.redeem',
    tag: 'Waiting room',
    summary: 'Redeem a presale code',
    description:
      'Counts one use of the code against the signed-in account (entering it again counts nothing: `counted` false) and says what it unlocked: a presale, whose own line of the waiting room the account then joins, and hidden tiers. 404 for a code this event does not have, 409 CONFLICT when its uses are spent. Clears the admission cookie, so the next admission carries the unlock (docs/decisions/041-presales-and-access-codes.md).',
    access: 'viewer',
    body: redeemAccessCodeSchema,
    responses: ok('What the code unlocked', redemptionSchema.meta({ id: 'PresaleCodeRedemption' })),
    errors: ['NOT_FOUND', 'CONFLICT', 'EVENT_NOT_ON_SALE', 'RATE_LIMITED'],
  },
];
