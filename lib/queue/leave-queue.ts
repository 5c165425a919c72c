import 'server-only';
import { clearedAdmissionCookie } from './admission';
import { queueContext, queueUnavailable, type QueueAnswer, type QueueDeps } from './context';
import { describeStatus } from './describe-status';
import { recordQueueReport } from './metrics';

/** DELETE /api/events/{id}/queue: gives up the place in line, or ends the shopping window and frees the place. */
export async function leaveQueue(deps: QueueDeps, input: { eventId: string; accountId: string }): Promise<QueueAnswer> {
  const ctx = await queueContext(deps, input.eventId, input.accountId);
  const { event, visitor, now, policy } = ctx;
  const report = await ctx
    .coordinated('queue leave', (q) => q.leave(ctx.queueId, visitor, now.getTime(), policy))
    .catch((error: unknown) => {
      throw queueUnavailable(error, event.id);
    });
  recordQueueReport(event.id, report);
  return { status: await describeStatus(ctx, { kind: 'report', report }), setCookie: clearedAdmissionCookie(event.id) };
}
