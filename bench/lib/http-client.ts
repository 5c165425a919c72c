/**
 * A small HTTP client for simulated buyers: keep-alive sockets shared by all buyers (at most `maxSockets` at once),
 * latency measured from the moment a request has a socket to the end of the answer (the server's share), plus the
 * time it waited for a socket (the client's share), per request kind.
 */
import http from 'node:http';
import { percentile } from './http-load';

export type Answer = { status: number; headers: http.IncomingHttpHeaders; body: unknown; ms: number; totalMs: number };

export class Stats {
  readonly latencies = new Map<string, number[]>();
  readonly totals = new Map<string, number[]>();
  readonly statuses = new Map<string, Record<string, number>>();

  record(kind: string, status: number | string, ms: number, totalMs: number): void {
    if (typeof status === 'number' || status === 'timeout') {
      (this.latencies.get(kind) ?? this.latencies.set(kind, []).get(kind)!).push(ms);
      (this.totals.get(kind) ?? this.totals.set(kind, []).get(kind)!).push(totalMs);
    }
    const s = this.statuses.get(kind) ?? this.statuses.set(kind, {}).get(kind)!;
    s[String(status)] = (s[String(status)] ?? 0) + 1;
  }

  summary(kind: string): {
    n: number;
    p50: number;
    p99: number;
    max: number;
    totalP99: number;
    totalMax: number;
    statuses: Record<string, number>;
  } {
    const sorted = [...(this.latencies.get(kind) ?? [])].sort((a, b) => a - b);
    const totals = [...(this.totals.get(kind) ?? [])].sort((a, b) => a - b);
    return {
      n: sorted.length,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.at(-1) ?? 0,
      totalP99: percentile(totals, 99),
      totalMax: totals.at(-1) ?? 0,
      statuses: this.statuses.get(kind) ?? {},
    };
  }

  /** Every answer of every kind: status -> count. */
  allStatuses(): Record<string, number> {
    const all: Record<string, number> = {};
    for (const s of this.statuses.values()) for (const [k, v] of Object.entries(s)) all[k] = (all[k] ?? 0) + v;
    return all;
  }
}

/**
 * Buyers in the waiting room and buyers shopping are different browsers on different connections: queue requests
 * (`queue.*`) go over their own sockets, so a shopper's hold never waits behind thousands of polls in this client.
 */
export class HttpClient {
  private agent: http.Agent;
  private queueAgent: http.Agent;
  /** TCP connections this client opened (a request that found no idle keep-alive socket). */
  connectionsOpened = 0;
  constructor(
    private baseUrl: string,
    readonly stats = new Stats(),
    private readonly options: { maxSockets?: number; timeoutMs?: number } = {},
  ) {
    const url = new URL(baseUrl);
    if (!['127.0.0.1', 'localhost', '::1'].includes(url.hostname)) throw new Error('load tests only target loopback');
    this.agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 256 });
    this.queueAgent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 256 });
  }

  /** Sends one request and records it under `kind`; a network error or timeout resolves with status 0 / -1. */
  request(
    kind: string,
    method: string,
    path: string,
    options: { headers?: Record<string, string>; body?: unknown } = {},
  ): Promise<Answer> {
    const url = new URL(this.baseUrl);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const queued = performance.now();
    return new Promise<Answer>((resolve) => {
      let started = queued;
      let settled = false;
      const done = (
        status: number,
        headers: http.IncomingHttpHeaders,
        text: string,
        label: number | string = status,
      ) => {
        if (settled) return;
        settled = true;
        const end = performance.now();
        this.stats.record(kind, label, end - started, end - queued);
        let parsed: unknown = text;
        if (text && String(headers['content-type'] ?? '').includes('json')) {
          try {
            parsed = JSON.parse(text);
          } catch {
            // keep the text
          }
        }
        resolve({ status, headers, body: parsed, ms: end - started, totalMs: end - queued });
      };
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          agent: kind.startsWith('queue.') ? this.queueAgent : this.agent,
          headers: {
            ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
            ...options.headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(res.statusCode ?? 0, res.headers, Buffer.concat(chunks).toString('utf8')));
          res.on('error', () => done(0, {}, '', 'network-error'));
        },
      );
      req.on('socket', () => {
        started = performance.now();
        if (!req.reusedSocket) this.connectionsOpened++;
      });
      req.setTimeout(this.options.timeoutMs ?? 30_000, () => {
        done(-1, {}, '', 'timeout');
        req.destroy();
      });
      req.on('error', () => done(0, {}, '', 'network-error'));
      if (body) req.write(body);
      req.end();
    });
  }

  /** Drops every idle socket (after the server restarted). */
  reset(): void {
    this.close();
    this.agent = new http.Agent({ keepAlive: true, maxSockets: this.options.maxSockets ?? 256 });
    this.queueAgent = new http.Agent({ keepAlive: true, maxSockets: this.options.maxSockets ?? 256 });
  }

  close(): void {
    this.agent.destroy();
    this.queueAgent.destroy();
  }
}

/** Merges Set-Cookie headers into a Cookie header. */
export function mergeCookies(cookie: string, headers: http.IncomingHttpHeaders): string {
  const set = headers['set-cookie'];
  if (!set?.length) return cookie;
  const jar = new Map(
    cookie
      .split('; ')
      .filter(Boolean)
      .map((c) => [c.slice(0, c.indexOf('=')), c]),
  );
  for (const line of set) {
    const pair = line.split(';')[0]!;
    const name = pair.slice(0, pair.indexOf('='));
    if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
    else jar.set(name, pair);
  }
  return [...jar.values()].join('; ');
}

/** Seconds from a Retry-After header (default 1), capped. */
export const retryAfterMs = (headers: http.IncomingHttpHeaders, capMs = 5_000) =>
  Math.min(capMs, Math.max(200, (Number(headers['retry-after']) || 1) * 1000));
