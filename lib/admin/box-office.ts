import 'server-only';
import { eq } from 'drizzle-orm';
import { events } from '@/db/schema';
import type { SeatBlockInput } from '@/lib/contracts/admin-event';
import { seatBlockSchema } from '@/lib/contracts/admin-event';
import { AppError } from '@/lib/errors';
import { afterSeatsBlocked, afterSeatsReturned, blockSeats, unblockSeats, type InventoryDeps } from '@/lib/inventory';
import { wakeWaitlist } from '@/lib/waitlist/wake';
import { assertId } from './ids';
import { recordAudit } from './record-audit';

export type BoxOfficeResult = {
  /** Seats whose state changed. */
  changed: number[];
  /** Seats asked for that were not in the right state (e.g. held or sold when blocking, not blocked when unblocking). */
  skipped: number[];
};

/**
 * Box-office holds and kills: takes available seats of a published event off sale, or puts blocked ones back,
 * through lib/inventory's conditional updates (a held or sold seat is never blocked), with an audit row naming the
 * reason. The coordinator's filter learns the change after commit.
 */
export async function changeSeatBlocks(
  deps: InventoryDeps,
  input: { eventId: string; action: 'block' | 'unblock'; actorId: string; body: SeatBlockInput },
): Promise<BoxOfficeResult> {
  const { seatIds, reason } = seatBlockSchema.parse(input.body);
  assertId(input.eventId, 'event');
  const unique = [...new Set(seatIds)];
  const changed = await deps.db.transaction(async (tx) => {
    const [event] = await tx
      .select({ status: events.status })
      .from(events)
      .where(eq(events.id, input.eventId))
      .for('update');
    if (!event) throw new AppError('NOT_FOUND', 'No such event.');
    if (event.status !== 'published')
      throw new AppError(
        'INVALID_STATE',
        `The event is ${event.status}; seats can only be blocked on a published event.`,
      );
    const ids = (
      input.action === 'block'
        ? await blockSeats(tx, { eventId: input.eventId, seatIds: unique })
        : await unblockSeats(tx, { eventId: input.eventId, seatIds: unique })
    ).sort((a, b) => a - b);
    if (ids.length) {
      await recordAudit(tx, {
        actorId: input.actorId,
        action: input.action === 'block' ? 'seats.block' : 'seats.unblock',
        entityType: 'event',
        entityId: input.eventId,
        before: { status: input.action === 'block' ? 'available' : 'blocked', seatIds: ids },
        after: { status: input.action === 'block' ? 'blocked' : 'available', seatIds: ids, reason },
      });
    }
    return ids;
  });
  if (changed.length) {
    if (input.action === 'block') await afterSeatsBlocked(deps, input.eventId, changed);
    else {
      await afterSeatsReturned(deps, input.eventId, changed);
      wakeWaitlist(input.eventId);
    }
  }
  const done = new Set(changed);
  return { changed, skipped: unique.filter((id) => !done.has(id)) };
}
