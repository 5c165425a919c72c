import type { QueueReport } from './store/port';
import { countFunnelStep } from '@/lib/analytics/funnel-counts';
import { metrics } from '@/lib/observability/metrics';

const admissions = metrics.counter(
  'admitone_queue_admissions_total',
  'Visitors admitted from a waiting room, by event',
  ['event'],
);
const waiting = metrics.gauge(
  'admitone_queue_waiting',
  'Visitors waiting in line (after the draw), by event, as last seen by this instance',
  ['event'],
);
const prequeue = metrics.gauge('admitone_queue_prequeue', 'Visitors in the pre-queue awaiting the draw, by event', [
  'event',
]);
const active = metrics.gauge('admitone_queue_active', 'Visitors admitted and shopping, by event', ['event']);

/**
 * Every queue answer this instance sees updates the figures (admissions happen lazily in polls and in the tick), and
 * the sales funnel's joins and admissions (each reported once, by the call that made it).
 */
export function recordQueueReport(eventId: string, report: QueueReport): void {
  if (report.joined !== null) countFunnelStep(eventId, 'queueJoins');
  if (report.admitted.length) {
    admissions.inc({ event: eventId }, report.admitted.length);
    countFunnelStep(eventId, 'admissions', report.admitted.length);
  }
  waiting.set({ event: eventId }, report.waiting);
  prequeue.set({ event: eventId }, report.prequeue);
  active.set({ event: eventId }, report.active);
}
