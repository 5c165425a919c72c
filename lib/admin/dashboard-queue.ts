import 'server-only';
import type { QueueStore } from '@/lib/queue/store/port';
import { admissionRate, estimateWait } from '@/lib/queue/estimate';
import { recordQueueReport } from '@/lib/queue/metrics';
import { queuePhase, queuePolicy, type QueueEvent } from '@/lib/queue/policy';
import { withTimeout } from '@/lib/queue/with-timeout';
import type { QueueFigures } from './dashboard-types';

const QUEUE_TIMEOUT_MS = 1_500;

/**
 * The waiting room of one event as the coordinator reports it. Asking admits whoever is due on the way, exactly as
 * every status poll and the queue tick do, so the dashboard never changes the order of the line. Events that do not
 * sell are not asked.
 */
export async function queueFigures(queue: QueueStore, event: QueueEvent, now: Date): Promise<QueueFigures> {
  const phase = queuePhase(event, now);
  const base: QueueFigures = {
    phase,
    reachable: true,
    waiting: 0,
    prequeue: 0,
    active: 0,
    capacity: event.queueCapacity,
    configuredRatePerMinute: event.admissionRatePerMinute,
    ratePerMinute: event.admissionRatePerMinute,
    rateBasis: 'settings',
    clearSeconds: 0,
  };
  if (phase === 'closed' || phase === 'not-open') return base;
  try {
    const report = await withTimeout(
      queue.status(event.id, null, now.getTime(), queuePolicy(event, now)),
      QUEUE_TIMEOUT_MS,
      'admin queue figures',
    );
    recordQueueReport(event.id, report);
    const rate = admissionRate(event, report.recent, now.getTime());
    const clear =
      report.waiting > 0
        ? estimateWait(report.waiting, {
            free: event.queueCapacity - report.active,
            configuredPerMinute: event.admissionRatePerMinute,
            rate,
          })
        : null;
    return {
      ...base,
      waiting: report.waiting,
      prequeue: report.prequeue,
      active: report.active,
      ratePerMinute: clear?.ratePerMinute ?? Math.round(rate.ratePerMinute * 10) / 10,
      rateBasis: rate.basis,
      clearSeconds: clear?.seconds ?? 0,
    };
  } catch {
    return { ...base, reachable: false };
  }
}
