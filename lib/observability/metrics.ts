import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { processSingleton } from '@/lib/process-singletons';
import { log } from './log';

/**
 * The process's Prometheus registry, on prom-client (docs/decisions/031-maintained-libraries.md): our counters,
 * gauges and histograms, plus prom-client's default process metrics (CPU, memory, heap, GC, event-loop lag, handles).
 * One per process, like the pool (lib/process-singletons.ts): every route bundle, the hot routes' server and the
 * jobs write to the same one.
 */
class Metrics {
  readonly registry = new Registry();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** The counter of that name, made on first use (a later caller with the same name gets the same one). */
  counter<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return this.existing<Counter<L>>(name) ?? new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  /**
   * The gauge of that name, made on first use. `collect` runs on every scrape to set its values (a query, a walk over
   * in-process state); when it fails, the scrape still answers, with the values of the last one that worked.
   */
  gauge<L extends string = never>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    collect?: (gauge: Gauge<L>) => Promise<void> | void,
  ): Gauge<L> {
    const found = this.existing<Gauge<L>>(name);
    if (found) return found;
    const gauge: Gauge<L> = new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      ...(collect && {
        collect: async () => {
          try {
            await collect(gauge);
          } catch (error) {
            log().warn({ err: error, metric: name }, 'metrics: a gauge could not be computed; its last values stand');
          }
        },
      }),
    });
    return gauge;
  }

  /** The histogram of that name, made on first use; buckets in milliseconds, as our durations are. */
  histogram<L extends string = never>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    buckets: number[] = DEFAULT_BUCKETS_MS,
  ): Histogram<L> {
    return (
      this.existing<Histogram<L>>(name) ??
      new Histogram({ name, help, labelNames, buckets, registers: [this.registry] })
    );
  }

  /** Every metric in Prometheus's text format (what GET /api/metrics answers). */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** The text format's content type, with the version prom-client writes. */
  get contentType(): string {
    return this.registry.contentType;
  }

  private existing<M>(name: string): M | undefined {
    return this.registry.getSingleMetric(name) as M | undefined;
  }
}

const DEFAULT_BUCKETS_MS = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

export const metrics: Metrics = processSingleton('metrics', () => new Metrics());

export const httpDuration = metrics.histogram(
  'admitone_http_request_duration_ms',
  'HTTP request duration by route, method and status',
  ['route', 'method', 'status'],
);
