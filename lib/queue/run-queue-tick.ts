import 'server-only';
import { sql } from 'drizzle-orm';
import { rows, ts } from '@/db/sql';
import { log } from '@/lib/observability/log';
import { recentlyActiveQueues } from './active-queues';
import type { QueueDeps } from './context';
import { drawPrequeue } from './draw-prequeue';
import { ensureCommitment } from './draws';
import { drawPresaleLine } from './presale-line';
import { ensurePresaleCommitment } from './presale-draws';
import { DEFAULT_PREQUEUE_LEAD_MS, queuePhase, queuePolicy } from './policy';
import { recordQueueReport } from './metrics';
import { queueEvents } from './queue-event';

export type TickReport = { commitments: number; draws: number; queues: number; admitted: number };

/**
 * One round of the waiting room's background work, safe to run on every instance at once:
 * - commit a draw seed for events whose pre-queue opens within a minute (so the commitment is public before anyone
 *   can enter);
 * - draw the pre-queue of events whose on-sale has come (a lease and a conditional update make it happen once);
 * - the same two for presale lines (commit before their pre-queue opens, draw at the presale's start);
 * - admit the next visitors of queues on sale (atomic in the coordinator; the same step polls run lazily), for the
 *   queues this instance served lately, or for every event on sale when `allOnSale` (the cron route).
 */
export async function runQueueTick(deps: Omit<QueueDeps, 'timeoutMs'> & { allOnSale?: boolean }): Promise<TickReport> {
  const { db, queue } = deps;
  const now = deps.now ?? new Date();
  const report: TickReport = { commitments: 0, draws: 0, queues: 0, admitted: 0 };
  const soon = new Date(now.getTime() + 60_000);

  const uncommitted = await rows<{ id: string }>(
    db,
    sql`select e.id from events e left join queue_draws d on d.event_id = e.id
        where d.event_id is null and e.status = 'published' and e.on_sale_at > ${ts(now)}
          and coalesce(e.prequeue_opens_at, e.on_sale_at - ${DEFAULT_PREQUEUE_LEAD_MS / 1000} * interval '1 second') <= ${ts(soon)}`,
  );
  for (const { id } of uncommitted) {
    await ensureCommitment(db, id);
    report.commitments++;
  }

  // Presale lines alike: their pre-queue opens DEFAULT_PREQUEUE_LEAD_MS before the presale starts (presale-line.ts).
  const uncommittedPresales = await rows<{ id: string; event_id: string }>(
    db,
    sql`select p.id, p.event_id from presales p join events e on e.id = p.event_id
          left join presale_draws d on d.presale_id = p.id
        where d.presale_id is null and e.status = 'published' and p.starts_at > ${ts(now)}
          and p.starts_at - ${DEFAULT_PREQUEUE_LEAD_MS / 1000} * interval '1 second' <= ${ts(soon)}`,
  );
  for (const p of uncommittedPresales) {
    await ensurePresaleCommitment(db, p.event_id, p.id);
    report.commitments++;
  }
  const undrawnPresales = await rows<{ id: string; event_id: string }>(
    db,
    sql`select d.presale_id as id, d.event_id from presale_draws d join presales p on p.id = d.presale_id
        where d.drawn_at is null and p.starts_at <= ${ts(now)}`,
  );
  for (const p of undrawnPresales) {
    const outcome = await drawPresaleLine(deps, p.event_id, p.id, now);
    if (outcome.status === 'drawn') {
      report.draws++;
      log().info({ eventId: p.event_id, presaleId: p.id, entrants: outcome.entrants }, 'waiting room: presale drawn');
    }
  }

  const undrawn = await rows<{ id: string }>(
    db,
    sql`select d.event_id as id from queue_draws d join events e on e.id = d.event_id where d.drawn_at is null and e.on_sale_at <= ${ts(now)}`,
  );
  for (const { id } of undrawn) {
    const outcome = await drawPrequeue(deps, id, now);
    if (outcome.status === 'drawn') {
      report.draws++;
      log().info({ eventId: id, entrants: outcome.entrants }, 'waiting room: pre-queue drawn');
    }
  }

  const ids = new Set(recentlyActiveQueues(now.getTime()));
  if (deps.allOnSale) {
    const onSale = await rows<{ id: string }>(
      db,
      sql`select id from events where status = 'published' and on_sale_at <= ${ts(now)} and starts_at > ${ts(now)}`,
    );
    for (const { id } of onSale) ids.add(id);
  }
  for (const id of ids) {
    const event = await queueEvents.get(db, id, now.getTime());
    if (!event || queuePhase(event, now) !== 'on-sale') continue;
    const result = await queue.status(id, null, now.getTime(), queuePolicy(event, now));
    recordQueueReport(id, result);
    report.queues++;
    report.admitted += result.admitted.length;
  }
  return report;
}
