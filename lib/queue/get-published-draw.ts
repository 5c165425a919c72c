import 'server-only';
import type { Database } from '@/db/client';
import type { QueueDraw } from '@/lib/contracts/queue';
import { AppError } from '@/lib/errors';
import { getDrawRecord } from './draws';
import { DRAW_ALGORITHM } from './fairness';
import { getQueueEventOrThrow } from './queue-event';

/** GET /api/events/{id}/queue/draw: the commitment before the on-sale; seed and drawn entries after it. */
export async function getPublishedDraw(db: Database, eventId: string): Promise<QueueDraw> {
  const event = await getQueueEventOrThrow(db, eventId);
  const draw = await getDrawRecord(db, event.id);
  if (!draw)
    throw new AppError(
      'NOT_FOUND',
      'This event has no pre-queue draw yet: its commitment is published when the pre-queue opens.',
    );
  return {
    eventId: event.id,
    algorithm: DRAW_ALGORITHM,
    commitment: draw.commitment,
    committedAt: draw.committedAt.toISOString(),
    seed: draw.seed,
    drawnAt: draw.drawnAt?.toISOString() ?? null,
    entrantCount: draw.entrantCount,
    entries: draw.entries,
  };
}
