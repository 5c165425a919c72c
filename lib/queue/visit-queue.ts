import 'server-only';
import type { QueueReport } from './store/port';
import { AppError } from '@/lib/errors';
import { admissionCookie, carriedAdmission } from './admission';
import { complain, queueUnavailable, type QueueAnswer, type QueueContext } from './context';
import { describeStatus } from './describe-status';
import { drawPrequeue } from './draw-prequeue';
import { ensureCommitment, publicDraws } from './draws';
import { recordQueueReport } from './metrics';
import type { AdmissionUnlocks } from './admission-token';
import { drawPresaleLine, presaleLineId } from './presale-line';
import { ensurePresaleCommitment, publicPresaleDraws } from './presale-draws';
import { getAccountAccess } from '@/lib/presale/account-access';

/**
 * Join (POST) and status (GET) share one path:
 * 1. A visitor who carries a genuine admission for this event, not ended early, is admitted on its strength, even if
 *    the coordinator is unreachable or lost its state: admitted shoppers are never sent back to the line.
 * 2. Otherwise the coordinator joins or looks up the visitor, admitting whoever is due on the way (lazy admission).
 * 3. After the on-sale (a presale line's: the presale's start), the first caller to find the pre-queue undrawn runs
 *    the draw.
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
    const line = carried.ul?.p ? presaleLineId(event.id, carried.ul.p) : event.id;
    const ended = await ctx
      .coordinated('queue admission ended', (q) => q.admissionEnded(line, visitor, untilMs))
      .catch((error: unknown) => {
        complain(error, event.id, 'waiting room: cannot check for an ended admission; trusting the token');
        return false;
      });
    if (!ended) return { status: await describeStatus(ctx, { kind: 'token', untilMs }), setCookie: null };
  }

  // Before anyone enters a line's pre-queue, its draw's seed is committed to (published): the event's line or the
  // presale's, each its own draw (presale-line.ts).
  const { queueId, presale } = ctx;
  const db = ctx.deps.db;
  if (phase === 'prequeue') {
    if (presale) {
      if (!(await publicPresaleDraws.get(db, presale.id, now.getTime())))
        await ensurePresaleCommitment(db, event.id, presale.id);
    } else if (!(await publicDraws.get(db, event.id, now.getTime()))) await ensureCommitment(db, event.id);
  }

  const ask = () =>
    ctx.coordinated(`queue ${action}`, (q) =>
      action === 'join'
        ? q.join(queueId, visitor, now.getTime(), policy)
        : q.status(queueId, visitor, now.getTime(), policy),
    );
  let report: QueueReport;
  try {
    report = await ask();
    if (phase === 'on-sale' && !report.drawn) {
      const drawn = presale
        ? (await drawPresaleLine(ctx.deps, event.id, presale.id, now)).status
        : (await drawPrequeue(ctx.deps, event.id, now)).status;
      if (drawn !== 'busy')
        report = await ctx.coordinated('queue status', (q) => q.status(queueId, visitor, now.getTime(), policy));
    }
  } catch (error) {
    throw queueUnavailable(error, event.id);
  }
  recordQueueReport(event.id, report);

  const setCookie =
    report.entry.state === 'admitted' ? await admissionCookieWithAccess(ctx, report.entry.untilMs, cookieHeader) : null;
  return { status: await describeStatus(ctx, { kind: 'report', report }), setCookie };
}

/**
 * The admission cookie, carrying what the account's presale codes unlock (hidden tiers, their seat limit) and, from
 * a presale's line, that presale: such an admission ends with the presale, so nobody carries it past the general
 * on-sale and ahead of the general line.
 */
async function admissionCookieWithAccess(
  ctx: QueueContext,
  untilMs: number,
  cookieHeader: string | null,
): Promise<string | null> {
  const access = await getAccountAccess(ctx.deps.db, ctx.event.id, ctx.accountId);
  const ul: AdmissionUnlocks = {
    ...(ctx.presale ? { p: ctx.presale.id } : {}),
    ...(access.tierIds.length ? { t: access.tierIds } : {}),
    ...(access.perAccountLimit !== null ? { n: access.perAccountLimit } : {}),
  };
  return admissionCookie({
    eventId: ctx.event.id,
    accountId: ctx.accountId,
    visitor: ctx.visitor,
    untilMs: ctx.presale ? Math.min(untilMs, ctx.presale.endsAt.getTime()) : untilMs,
    cookieHeader,
    nowMs: ctx.now.getTime(),
    unlocks: Object.keys(ul).length ? ul : undefined,
  });
}
