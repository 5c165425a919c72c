import 'server-only';
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { queueDraws } from '@/db/schema';
import { eventTag } from '@/lib/coordination/keys';
import type { Leases } from '@/lib/coordination/leases/port';
import { ensureCommitment, publicDraws } from './draws';
import { drawOrder } from './fairness';
import type { QueueStore } from './store/port';

const CHUNK = 2_000;

export type DrawOutcome = { status: 'drawn' | 'reapplied' | 'busy'; entrants: number };

/**
 * The on-sale draw of an event's pre-queue. One caller at a time (a lease in the coordinator); the order is decided
 * once, by the conditional update that sets drawn_at, and then applied to the coordinator in chunks. A caller that
 * finds the draw decided but not applied (a crash in between) applies the recorded order again, which is harmless.
 */
export async function drawPrequeue(
  { db, queue, leases }: { db: Database; queue: QueueStore; leases: Leases },
  eventId: string,
  now: Date = new Date(),
): Promise<DrawOutcome> {
  const lease = `${eventTag(eventId)}:q:draw-lease`;
  const owner = crypto.randomUUID();
  if (!(await leases.acquire(lease, owner, 120_000))) return { status: 'busy', entrants: 0 };
  try {
    let row = await ensureCommitment(db, eventId);
    let status: DrawOutcome['status'] = 'reapplied';
    if (!row.drawnAt) {
      const entrants = await queue.closePrequeue(eventId);
      const order = drawOrder(row.seed, entrants);
      const [won] = await db
        .update(queueDraws)
        .set({ drawnAt: now, entrantCount: order.length, entries: order })
        .where(and(eq(queueDraws.eventId, eventId), isNull(queueDraws.drawnAt)))
        .returning();
      if (won) status = 'drawn';
      row = won ?? (await db.select().from(queueDraws).where(eq(queueDraws.eventId, eventId)))[0]!;
    }
    const entries = row.entries ?? [];
    for (let i = 0; i < entries.length || i === 0; i += CHUNK) {
      await queue.applyDraw(eventId, entries.slice(i, i + CHUNK), i, i + CHUNK >= entries.length);
    }
    publicDraws.forget(db, eventId);
    return { status, entrants: entries.length };
  } finally {
    await leases.release(lease, owner).catch(() => {});
  }
}
