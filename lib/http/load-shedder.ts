import { AppError } from '@/lib/errors';
import { metrics } from '@/lib/observability/metrics';
import { processSingleton } from '@/lib/process-singletons';

/**
 * Load shedding for the expensive write paths (holds, checkout), per server process: at most `maxInFlight`
 * requests of one pool run at once; a few more wait briefly for a slot (at most `maxWaiting`, each at most
 * `maxWaitMs`); the rest are answered at once with 503 SERVICE_UNAVAILABLE and Retry-After. A request that is
 * answered late is worth nothing to a buyer whose hold countdown runs, and queueing without bound makes every
 * request late (bench/chaos/overload.ts measures it).
 */
export type ShedOptions = { maxInFlight: number; maxWaiting: number; maxWaitMs: number; retryAfterS?: number };

type Waiter = { resolve: () => void; timer: ReturnType<typeof setTimeout> };

export class LoadShedder {
  private inFlight = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    readonly name: string,
    private readonly options: ShedOptions,
  ) {}

  get running(): number {
    return this.inFlight;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `fn` when a slot is free, or throws SERVICE_UNAVAILABLE (503, Retry-After) without running it. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  private async acquire(): Promise<void> {
    if (this.inFlight < this.options.maxInFlight && this.waiting.length === 0) {
      this.inFlight++;
      return;
    }
    if (this.waiting.length >= this.options.maxWaiting) throw this.shed('queue-full');
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(() => {
          const at = this.waiting.indexOf(waiter);
          if (at >= 0) this.waiting.splice(at, 1);
          reject(this.shed('wait-timeout'));
        }, this.options.maxWaitMs),
      };
      this.waiting.push(waiter);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) {
      // The slot passes straight to the next waiter: inFlight stays the same.
      clearTimeout(next.timer);
      next.resolve();
      return;
    }
    this.inFlight--;
  }

  private shed(reason: 'queue-full' | 'wait-timeout'): AppError {
    shedTotal.inc({ pool: this.name, reason });
    const retryAfter = this.options.retryAfterS ?? 1;
    return new AppError('SERVICE_UNAVAILABLE', `The server is busy. Try again in ${retryAfter} s.`, {
      retryAfter,
      reason: 'overloaded',
    });
  }
}

const shedTotal = metrics.counter(
  'admitone_load_shed_total',
  'Requests answered 503 by load shedding, by pool and reason',
  ['pool', 'reason'],
);

const pools = processSingleton('shedders', () => new Map<string, LoadShedder>());

/** The process-wide shedder of one pool (lib/process-singletons.ts: every route bundle shares it). */
export function shedder(name: string, options: () => ShedOptions): LoadShedder {
  let pool = pools.get(name);
  if (!pool) {
    pool = new LoadShedder(name, options());
    pools.set(name, pool);
  }
  return pool;
}

metrics.gauge('admitone_load_shed_in_flight', 'Requests running per load-shedding pool', ['pool'], (gauge) => {
  for (const [n, p] of pools) gauge.set({ pool: n }, p.running);
});
