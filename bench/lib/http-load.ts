import http from 'node:http';

export type Request = { method: string; path: string; headers?: Record<string, string>; body?: string };
export type LoadResult = {
  name: string;
  requests: number;
  seconds: number;
  rps: number;
  latency: { p50: number; p90: number; p99: number; max: number };
  statuses: Record<string, number>;
  errors: number;
  /** Server-Timing entries (name -> durations in ms) of the answers that carried them. */
  serverTiming: Record<string, number[]>;
};

export const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;

/**
 * A closed-loop HTTP load generator: `connections` workers each send one request at a time over keep-alive
 * sockets for `durationMs`, recording latency per request. Loopback only, bounded in time.
 */
export async function runLoad(options: {
  name: string;
  baseUrl: string;
  connections: number;
  durationMs: number;
  warmupMs?: number;
  next: (worker: number, n: number) => Request;
}): Promise<LoadResult> {
  const url = new URL(options.baseUrl);
  if (!['127.0.0.1', 'localhost', '::1'].includes(url.hostname)) throw new Error('load tests only target loopback');
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const serverTiming: Record<string, number[]> = {};
  let errors = 0;
  let n = 0;
  const send = (req: Request) =>
    new Promise<{ status: number; timing?: string }>((resolve, reject) => {
      const r = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: req.method,
          path: req.path,
          agent,
          headers: {
            ...(req.body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(req.body) } : {}),
            ...req.headers,
          },
        },
        (res) => {
          res.on('data', () => {});
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, timing: res.headers['server-timing'] as string | undefined }),
          );
          res.on('error', reject);
        },
      );
      r.on('error', reject);
      if (req.body) r.write(req.body);
      r.end();
    });

  const phase = async (until: number, record: boolean) => {
    await Promise.all(
      Array.from({ length: options.connections }, async (_, worker) => {
        while (Date.now() < until) {
          const req = options.next(worker, n++);
          const started = process.hrtime.bigint();
          try {
            const { status, timing } = await send(req);
            if (!record) continue;
            latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
            statuses[status] = (statuses[status] ?? 0) + 1;
            for (const part of timing?.split(',') ?? []) {
              const [name, dur] = part.trim().split(';dur=');
              if (name && dur) (serverTiming[name] ??= []).push(Number(dur));
            }
          } catch {
            if (record) errors++;
          }
        }
      }),
    );
  };
  if (options.warmupMs) await phase(Date.now() + options.warmupMs, false);
  const started = Date.now();
  await phase(started + options.durationMs, true);
  const seconds = (Date.now() - started) / 1000;
  agent.destroy();
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    name: options.name,
    requests: latencies.length,
    seconds,
    rps: latencies.length / seconds,
    latency: {
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p99: percentile(sorted, 99),
      max: sorted.at(-1) ?? 0,
    },
    statuses,
    errors,
    serverTiming,
  };
}

export const fmt = (n: number, digits = 1) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** One line per result: absolute figures and the ratio to the baseline's requests per second. */
export function report(baseline: LoadResult, results: LoadResult[], extra: string[] = []): string {
  const lines = [
    `${'measure'.padEnd(34)} ${'req/s'.padStart(9)} ${'x base'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}  statuses`,
    ...[baseline, ...results].map(
      (r) =>
        `${r.name.padEnd(34)} ${fmt(r.rps, 0).padStart(9)} ${fmt(r.rps / baseline.rps, 2).padStart(7)} ${fmt(r.latency.p50, 2).padStart(8)} ${fmt(r.latency.p99, 2).padStart(8)}  ${Object.entries(
          r.statuses,
        )
          .map(([s, c]) => `${s}:${c}`)
          .join(' ')}${r.errors ? ` errors:${r.errors}` : ''}`,
    ),
    ...extra,
  ];
  return lines.join('\n');
}
