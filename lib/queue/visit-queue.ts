import 'server-only';
import type { QueueReport } from './store/port';
import { AppError } from '@/lib/errors';
import { admissionCookie, carriedAdmission } from './admission';
import { complain, queueUnavailable, type QueueAnswer, type QueueContext } from './context';
import { describeStatus } from './describe-status';
import { drawPrequeue } from './draw-prequeue';
import { ensureCommitment, publicDraws } from './draws';
import { recordQueueReport } from './metrics';

/**
 * Join (POST) and status (GET) share one path:
 * 1. A visitor who carries a genuine admission for this event, not ended early, is admitted on its strength, even if
 *    the coordinator is unreachable or lost its state: admitted shoppers are never sent back to the line.
 * 2. Otherwise the coordinator joins or looks up the visitor, admitting whoever is due on the way (lazy admission).
 * 3. After the on-sale, the first caller to find the pre-queue undrawn runs the draw.
 * 4. Admitted: a fresh admission cookie bound to this browser session.
 */
export async function visitQueue(
  ctx: QueueContext,
  action: 'join' | 'status',
  cookieHeader: string | null,
): Promise<QueueAnswer> {
  const { event, now, phase, policy, visitor } = ctx;
  if (action === 'join' && (phase === 'closed' || phase === 'not-open')) {
    throw new AppError(
      'EVENT_NOT_ON_SALE',
      phase === 'closed' ? 'This event no longer sells tickets.' : 'The waiting room for this event is not open yet.',
      {
        onSaleAt: event.onSaleAt.toISOString(),
      },
    );
  }
  if (phase === 'closed') return { status: await describeStatus(ctx, { kind: 'none' }), setCookie: null };

  const carried = cookieHeader ? await carriedAdmission(cookieHeader, event.id, ctx.accountId, now.getTime()) : null;
  if (carried) {
    const untilMs = carried.exp * 1000;
    const ended = await ctx
      .coordinated('queue admission ended', (q) => q.admissionEnded(event.id, visitor, untilMs))
      .catch((error: unknown) => {
        complain(error, event.id, 'waiting room: cannot check for an ended admission; trusting the token');
        return false;
      });
    if (!ended) return { status: await describeStatus(ctx, { kind: 'token', untilMs }), setCookie: null };
  }

  if (phase === 'prequeue' && !(await publicDraws.get(ctx.deps.db, event.id, now.getTime())))
    await ensureCommitment(ctx.deps.db, event.id);

  const ask = () =>
    ctx.coordinated(`queue ${action}`, (q) =>
      action === 'join'
        ? q.join(event.id, visitor, now.getTime(), policy)
        : q.status(event.id, visitor, now.getTime(), policy),
    );
  let report: QueueReport;
  try {
    report = await ask();
    if (phase === 'on-sale' && !report.drawn) {
      const outcome = await drawPrequeue(ctx.deps, event.id, now);
      if (outcome.status !== 'busy')
        report = await ctx.coordinated('queue status', (q) => q.status(event.id, visitor, now.getTime(), policy));
    }
  } catch (error) {
    throw queueUnavailable(error, event.id);
  }
  recordQueueReport(event.id, report);

  const setCookie =
    report.entry.state === 'admitted'
      ? await admissionCookie({
          eventId: event.id,
          accountId: ctx.accountId,
          visitor,
          untilMs: report.entry.untilMs,
          cookieHeader,
          nowMs: now.getTime(),
        })
      : null;
  return { status: await describeStatus(ctx, { kind: 'report', report }), setCookie };
}
