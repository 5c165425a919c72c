import type { Coordinator, QueueReport } from '@/lib/coordination/port';

/**
 * Wraps a coordinator and records, from every queue operation's report, who was admitted as which admission number,
 * each visitor's arrival number, and the most active shoppers ever reported. Fails loudly on an admission number
 * seen twice or a visitor admitted twice.
 */
export function recordingCoordinator(inner: Coordinator) {
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
  const coordinator: Coordinator = Object.create(inner) as Coordinator;
  coordinator.queueJoin = async (eventId, visitor, nowMs, policy) => {
    const report = await inner.queueJoin(eventId, visitor, nowMs, policy);
    record(visitor, report);
    return report;
  };
  coordinator.queueStatus = async (eventId, visitor, nowMs, policy) => {
    const report = await inner.queueStatus(eventId, visitor, nowMs, policy);
    record(visitor, report);
    return report;
  };
  coordinator.queueLeave = async (eventId, visitor, nowMs, policy) => {
    const report = await inner.queueLeave(eventId, visitor, nowMs, policy);
    record(visitor, report);
    return report;
  };
  return { coordinator, admissions, arrivals, state };
}
