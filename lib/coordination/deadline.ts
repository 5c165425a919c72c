/**
 * Waits for `call` at most `ms` of the store's time, not of this process's: when the timer fires, the answer may
 * already be sitting in the socket, unread because the event loop was busy with other requests (under load a timer
 * and the reply it guards become due in the same turn, and timers run first). So on expiry the deadline first lets
 * the loop read pending I/O (setImmediate runs after the poll phase, a few turns of it), and only then calls it a
 * timeout. A busy process keeps its answers from Redis; only a Redis that really did not answer trips the breaker.
 * The event loop's own delay is watched separately (admitone_event_loop_lag_ms).
 */
export const TIMED_OUT: unique symbol = Symbol('timed out');

/** Turns of the event loop given to pending I/O after the timer fires. */
const GRACE_TURNS = 3;

export function withinDeadline<T>(call: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  return new Promise<T | typeof TIMED_OUT>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      let turns = 0;
      const check = () => {
        if (settled) return;
        if (++turns < GRACE_TURNS) setImmediate(check);
        else {
          settled = true;
          resolve(TIMED_OUT);
        }
      };
      setImmediate(check);
    }, ms);
    call.then(
      (value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
