import { TIMED_OUT, withinDeadline } from '@/lib/coordination/deadline';

/**
 * Rejects when the promise does not settle within `ms` of the store's time (lib/coordination/deadline.ts); the work
 * itself is not cancelled.
 */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  const result = await withinDeadline(promise, ms);
  if (result === TIMED_OUT) throw new Error(`${what}: no answer within ${ms} ms`);
  return result;
}
