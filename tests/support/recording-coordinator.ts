import type { QueueReport, QueueStore } from '@/lib/queue/store/port';

/**
 * Wraps a queue store and records, from every queue operation's report, who was admitted as which admission
 * number, each visitor's arrival number, and the most active shoppers ever reported. Fails loudly on an admission number
 * seen twice or a visitor admitted twice.
 */
export function recordingQueueStore(inner: QueueStore) {
  const admissions = new Map<number, string>();
  const admittedVisitors = new Set<string>();
  const arrivals = new Map<string, number>();
  const state = { maxActive: 0 };
  const record = (visitor: string | null, report: QueueReport) => {
    state.maxActive = Math.max(state.maxActive, report.active);
    if (visitor && report.joined !== null) arrivals.set(visitor, report.joined);
    report.admitted.forEach((admitted, i) => {
      const number = report.admittedTotal - report.admitted.length + 1 + i;
      if (admissions.has(number)) throw new Error(`admission number ${number} reported twice`);
      if (admittedVisitors.has(admitted)) throw new Error(`visitor ${admitted} admitted twice`);
      admissions.set(number, admitted);
      admittedVisitors.add(admitted);
    });
  };
  const queue: QueueStore = Object.create(inner) as QueueStore;
  queue.join = async (eventId, visitor, nowMs, policy) => {
    const report = await inner.join(eventId, visitor, nowMs, policy);
    record(visitor, report);
    return report;
  };
  queue.status = async (eventId, visitor, nowMs, policy) => {
    const report = await inner.status(eventId, visitor, nowMs, policy);
    record(visitor, report);
    return report;
  };
  queue.leave = async (eventId, visitor, nowMs, policy) => {
    const report = await inner.leave(eventId, visitor, nowMs, policy);
    record(visitor, report);
    return report;
  };
  return { queue, admissions, arrivals, state };
}
