import 'server-only';
import { getDb, type Database } from '@/db/client';
import { getCoordinator } from '@/lib/coordination';
import type { Coordinator } from '@/lib/coordination/port';
import { log } from '@/lib/observability/log';
import { queueContext } from './context';
import { recordQueueReport } from './metrics';

/**
 * Ends the account's shopping window for the event (checkout paid): frees its place for the next visitor and makes
 * the gate's API check refuse its admission token from now on. Never throws: the payment already succeeded, and an
 * unreachable coordinator only means the place frees itself when the window expires. Returns whether a window ended.
 */
export async function endShoppingWindow(
  eventId: string,
  accountId: string,
  deps: { db?: Database; coordinator?: Coordinator; now?: Date } = {},
): Promise<boolean> {
  try {
    const ctx = await queueContext({ db: deps.db ?? (await getDb()), coordinator: deps.coordinator ?? getCoordinator(), now: deps.now }, eventId, accountId);
    const report = await ctx.coordinated('queue end window', (c) => c.queueLeave(ctx.event.id, ctx.visitor, ctx.now.getTime(), ctx.policy));
    // Leaving admits whoever is next (admission is lazy), so these count like any other queue answer.
    recordQueueReport(ctx.event.id, report);
    return report.left === 'admitted';
  } catch (error) {
    log().warn({ err: error, eventId }, 'waiting room: could not end a shopping window; it will expire on its own');
    return false;
  }
}
