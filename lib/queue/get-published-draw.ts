import 'server-only';
import type { Database } from '@/db/client';
import type { QueueDraw } from '@/lib/contracts/queue';
import { AppError } from '@/lib/errors';
import { getDrawRecord } from './draws';
import { DRAW_ALGORITHM } from './fairness';
import { getPresaleDrawRecord } from './presale-draws';
import { getQueueEventOrThrow } from './queue-event';

/**
 * GET /api/events/{id}/queue/draw: the commitment before the on-sale; seed and drawn entries after it. With
 * `presaleId`, a presale line's draw, published the same way from before its pre-queue opens.
 */
export async function getPublishedDraw(db: Database, eventId: string, presaleId?: string): Promise<QueueDraw> {
  const event = await getQueueEventOrThrow(db, eventId);
  const draw = presaleId ? await getPresaleDrawRecord(db, event.id, presaleId) : await getDrawRecord(db, event.id);
  if (!draw)
    throw new AppError(
      'NOT_FOUND',
      presaleId
        ? 'This event has no such presale draw yet: its commitment is published when the presale line opens.'
        : 'This event has no pre-queue draw yet: its commitment is published when the pre-queue opens.',
    );
  return {
    eventId: event.id,
    presaleId: presaleId ?? null,
    algorithm: DRAW_ALGORITHM,
    commitment: draw.commitment,
    committedAt: draw.committedAt.toISOString(),
    seed: draw.seed,
    drawnAt: draw.drawnAt?.toISOString() ?? null,
    entrantCount: draw.entrantCount,
    entries: draw.entries,
  };
}
