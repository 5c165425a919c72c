import { TIMED_OUT, withinDeadline } from './deadline';

/**
 * A circuit breaker with a timeout, in front of the coordinator. Closed: calls go through, each limited to
 * `timeoutMs` of the store's time (lib/coordination/deadline.ts: a busy event loop is not a slow store). After `failureThreshold` consecutive failures it opens: calls are skipped (the caller goes to
 * PostgreSQL alone) until `resetAfterMs` has passed; then one probe is let through, and its success closes it.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';
export type BreakerOutcome<T> =
  { ok: true; value: T } | { ok: false; reason: 'open' | 'timeout' | 'error'; error?: unknown; late?: Promise<T> };

export class CircuitBreaker {
  private state: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probing = false;

  constructor(
    private readonly options: {
      timeoutMs: number;
      failureThreshold?: number;
      resetAfterMs?: number;
      now?: () => number;
      onStateChange?: (state: BreakerState, previous: BreakerState, cause?: unknown) => void;
    },
  ) {}

  get current(): BreakerState {
    return this.state;
  }

  private set(state: BreakerState, cause?: unknown): void {
    if (state === this.state) return;
    const previous = this.state;
    this.state = state;
    this.options.onStateChange?.(state, previous, cause);
  }

  async run<T>(fn: () => Promise<T>): Promise<BreakerOutcome<T>> {
    const now = (this.options.now ?? Date.now)();
    if (this.state === 'open') {
      if (now - this.openedAt < (this.options.resetAfterMs ?? 2_000) || this.probing)
        return { ok: false, reason: 'open' };
      this.set('half-open');
    }
    if (this.state === 'half-open') {
      if (this.probing) return { ok: false, reason: 'open' };
      this.probing = true;
    }
    const call = fn();
    try {
      const result = await withinDeadline(call, this.options.timeoutMs);
      if (result === TIMED_OUT) {
        this.fail(new Error(`no answer within ${this.options.timeoutMs} ms`));
        call.catch(() => {});
        return { ok: false, reason: 'timeout', late: call };
      }
      this.failures = 0;
      this.set('closed');
      return { ok: true, value: result };
    } catch (error) {
      this.fail(error);
      return { ok: false, reason: 'error', error };
    } finally {
      this.probing = false;
    }
  }

  private fail(cause: unknown): void {
    this.failures++;
    if (this.state === 'half-open' || this.failures >= (this.options.failureThreshold ?? 3)) {
      this.openedAt = (this.options.now ?? Date.now)();
      this.set('open', cause);
    }
  }
}
