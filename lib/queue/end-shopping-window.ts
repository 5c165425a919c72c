import 'server-only';
import { log } from '@/lib/observability/log';
import { queueContext, type QueueDeps } from './context';
import { recordQueueReport } from './metrics';

/**
 * Windows being ended right now: the checkout's own hook and the settlement both ask, the coordinator once. Plain
 * module state: a second copy of this module would at worst ask twice, and ending a window twice is harmless.
 */
const ending = new Map<string, Promise<boolean>>();

/**
 * Ends the account's shopping window for the event (an order paid): frees its place for the next visitor and makes
 * the gate's API check refuse its admission token from now on. Called by every path that makes an order paid
 * (lib/checkout/finalise-order.ts) and by the checkout's own hook; concurrent calls for the same window share one
 * coordinator call. Never throws: the payment already succeeded, and an unreachable coordinator only means the place
 * frees itself when the window expires. Returns whether a window ended.
 */
export function endShoppingWindow(eventId: string, accountId: string, deps: QueueDeps): Promise<boolean> {
  const key = `${eventId}:${accountId}`;
  const running = ending.get(key);
  if (running) return running;
  const started = end(eventId, accountId, deps).finally(() => ending.delete(key));
  ending.set(key, started);
  return started;
}

async function end(eventId: string, accountId: string, deps: QueueDeps): Promise<boolean> {
  try {
    const ctx = await queueContext(deps, eventId, accountId);
    const report = await ctx.coordinated('queue end window', (q) =>
      q.leave(ctx.queueId, ctx.visitor, ctx.now.getTime(), ctx.policy),
    );
    // Leaving admits whoever is next (admission is lazy), so these count like any other queue answer.
    recordQueueReport(ctx.event.id, report);
    return report.left === 'admitted';
  } catch (error) {
    log().warn({ err: error, eventId }, 'waiting room: could not end a shopping window; it will expire on its own');
    return false;
  }
}
