/**
 * A lean HTTP/1.1 load generator over net.Socket: keep-alive connections, requests serialised once into bytes,
 * and only the parsing a benchmark needs (status line, Content-Length or chunked body, and the headers ETag,
 * Server-Timing, Content-Encoding, Location, Connection, Set-Cookie). Node's own http client costs several times
 * more CPU per request, which on a 2-core machine is taken from the server being measured.
 *
 * Two ways to drive it:
 * - closed loop (`runClosed`): N connections, each sends its next request when the previous answer is complete;
 * - open loop (`runOpen`): requests are due at a fixed rate whatever the answers; latency is measured from the
 *   moment a request was due, so a slow server cannot hide its queue (no coordinated omission).
 * Each runs a warm-up, waits until nothing is in flight, then measures: `onWindow('start' | 'end')` is called with
 * nothing in flight at both ends, so CPU samples taken there bracket exactly the measured requests.
 */
import net from 'node:net';

export type Target = { host: string; port: number };

export function targetOf(baseUrl: string): Target {
  const url = new URL(baseUrl);
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(url.hostname))
    throw new Error('load tests only target loopback');
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) };
}

export type Answer = {
  status: number;
  /** Bytes of the body as sent (compressed when Content-Encoding says so). */
  bodyBytes: number;
  body?: Buffer;
  etag?: string;
  serverTiming?: string;
  contentEncoding?: string;
  location?: string;
  setCookie?: string[];
};

/** A request ready to send, and whatever the caller wants back with its answer. */
export type Prepared<T = unknown> = { bytes: Buffer; tag?: T; keepBody?: boolean };

/**
 * The bytes of one request. `headerBlock` is a pre-serialised "Name: value\r\n" string (cookies, addresses) that
 * callers build once per account.
 */
export function requestBytes(target: Target, method: string, path: string, headerBlock = '', body?: string): Buffer {
  const host = `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
  if (body === undefined)
    return Buffer.from(`${method} ${path} HTTP/1.1\r\nHost: ${host}\r\n${headerBlock}\r\n`, 'latin1');
  return Buffer.from(
    `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\n${headerBlock}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    'utf8',
  );
}

/** Serialises headers into a block for requestBytes. */
export const headerBlock = (headers: Record<string, string>) =>
  Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');

const CRLFCRLF = Buffer.from('\r\n\r\n');
const NO_BODY = new Set([204, 304]);

type Pending = { resolve: (a: Answer) => void; reject: (e: Error) => void; keepBody: boolean; timer?: NodeJS.Timeout };

/** One keep-alive connection; one request at a time. */
export class Connection {
  private socket: net.Socket | null = null;
  private buffer: Buffer | null = null;
  private pending: Pending | null = null;
  private head: {
    answer: Answer;
    close: boolean;
    chunked: boolean;
    remaining: number;
    phase: 'size' | 'data' | 'crlf' | 'trailer';
    total: number;
    parts: Buffer[];
  } | null = null;
  opened = 0;

  constructor(
    private readonly target: Target,
    private readonly timeoutMs = 30_000,
  ) {}

  get busy(): boolean {
    return this.pending !== null;
  }

  private connect(): net.Socket {
    const socket = net.connect({ host: this.target.host, port: this.target.port, noDelay: true });
    this.opened++;
    socket.on('data', (data: Buffer) => {
      if (this.socket === socket) this.onData(data);
    });
    const fail = (error: Error) => {
      if (this.socket === socket) this.abort(error);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
    this.socket = socket;
    return socket;
  }

  /** Drops the socket and any half-read answer; the request in flight, if any, fails with `error`. */
  private abort(error: Error): void {
    const socket = this.socket;
    this.socket = null;
    this.buffer = null;
    this.head = null;
    const p = this.pending;
    this.pending = null;
    socket?.destroy();
    if (p) {
      clearTimeout(p.timer);
      p.reject(error);
    }
  }

  send(bytes: Buffer, keepBody = false): Promise<Answer> {
    if (this.pending) return Promise.reject(new Error('connection busy'));
    const socket = this.socket ?? this.connect();
    return new Promise<Answer>((resolve, reject) => {
      this.pending = { resolve, reject, keepBody };
      if (this.timeoutMs > 0) this.pending.timer = setTimeout(() => this.abort(new Error('timeout')), this.timeoutMs);
      socket.write(bytes);
    });
  }

  destroy(): void {
    this.abort(new Error('connection closed by the client'));
  }

  private onData(data: Buffer): void {
    // Only an unfinished line (a head, a chunk size) is kept between reads; body bytes are counted and dropped.
    this.buffer = this.buffer ? Buffer.concat([this.buffer, data]) : data;
    while (this.pending) {
      if (!this.head) {
        if (!this.buffer || !this.parseHead()) return;
        continue;
      }
      if (!this.buffer || !this.parseBody()) return;
    }
  }

  private parseHead(): boolean {
    const buf = this.buffer!;
    const end = buf.indexOf(CRLFCRLF);
    if (end < 0) return false;
    const text = buf.toString('latin1', 0, end);
    const lines = text.split('\r\n');
    const status = Number(lines[0]!.slice(9, 12));
    const answer: Answer = { status, bodyBytes: 0 };
    let length = -1;
    let chunked = false;
    let close = false;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      switch (name) {
        case 'content-length':
          length = Number(value);
          break;
        case 'transfer-encoding':
          chunked = value.toLowerCase().includes('chunked');
          break;
        case 'connection':
          close = value.toLowerCase() === 'close';
          break;
        case 'etag':
          answer.etag = value;
          break;
        case 'server-timing':
          answer.serverTiming = answer.serverTiming ? `${answer.serverTiming}, ${value}` : value;
          break;
        case 'content-encoding':
          answer.contentEncoding = value;
          break;
        case 'location':
          answer.location = value;
          break;
        case 'set-cookie':
          (answer.setCookie ??= []).push(value);
          break;
      }
    }
    this.buffer = buf.length > end + 4 ? buf.subarray(end + 4) : null;
    // An interim answer (100 Continue): skip it.
    if (status >= 100 && status < 200) return true;
    if (NO_BODY.has(status)) {
      chunked = false;
      length = 0;
    }
    this.head = {
      answer,
      close,
      chunked,
      remaining: chunked ? 0 : Math.max(0, length),
      phase: 'size',
      total: 0,
      parts: [],
    };
    if (!chunked && this.head.remaining === 0) this.finish();
    return true;
  }

  /** Consumes what the buffer has of the body; true when the answer is complete. */
  private parseBody(): boolean {
    const h = this.head!;
    const keep = this.pending!.keepBody;
    let buf = this.buffer!;
    const take = (n: number) => {
      const k = Math.min(n, buf.length);
      if (keep && k) h.parts.push(buf.subarray(0, k));
      buf = buf.subarray(k);
      return k;
    };
    if (!h.chunked) {
      const k = take(h.remaining);
      h.remaining -= k;
      h.total += k;
      this.buffer = buf.length ? buf : null;
      if (h.remaining > 0) return false;
      this.finish();
      return true;
    }
    for (;;) {
      if (h.phase === 'size' || h.phase === 'trailer') {
        const eol = buf.indexOf('\r\n');
        if (eol < 0) break;
        if (h.phase === 'trailer') {
          buf = buf.subarray(eol + 2);
          if (eol === 0) {
            this.buffer = buf.length ? buf : null;
            this.finish();
            return true;
          }
          continue;
        }
        const size = parseInt(buf.toString('latin1', 0, eol).split(';')[0]!, 16);
        buf = buf.subarray(eol + 2);
        if (size === 0) h.phase = 'trailer';
        else {
          h.phase = 'data';
          h.remaining = size;
        }
        continue;
      }
      if (buf.length === 0) break;
      if (h.phase === 'data') {
        const k = take(h.remaining);
        h.remaining -= k;
        h.total += k;
        if (h.remaining > 0) break;
        h.phase = 'crlf';
        h.remaining = 2;
      } else {
        const k = Math.min(h.remaining, buf.length);
        buf = buf.subarray(k);
        h.remaining -= k;
        if (h.remaining > 0) break;
        h.phase = 'size';
      }
    }
    this.buffer = buf.length ? buf : null;
    return false;
  }

  private finish(): void {
    const h = this.head!;
    const answer = h.answer;
    answer.bodyBytes = h.total;
    const p = this.pending!;
    if (p.keepBody) answer.body = h.parts.length === 1 ? h.parts[0]! : Buffer.concat(h.parts);
    this.head = null;
    this.pending = null;
    clearTimeout(p.timer);
    if (h.close) this.destroy();
    p.resolve(answer);
  }
}

/** Latencies and outcomes of one measured window. */
export class Recorder {
  latencies = new Float64Array(1 << 14);
  count = 0;
  statuses: Record<string, number> = {};
  errors: Record<string, number> = {};
  bodyBytes = 0;
  maxBodyBytes = 0;
  encodings: Record<string, number> = {};
  timing: Record<string, number[]> = {};
  lastEtag?: string;

  private push(ms: number): void {
    if (this.count === this.latencies.length) {
      const grown = new Float64Array(this.latencies.length * 2);
      grown.set(this.latencies);
      this.latencies = grown;
    }
    this.latencies[this.count++] = ms;
  }

  add(ms: number, answer: Answer, timingNames?: readonly string[]): void {
    this.push(ms);
    this.statuses[answer.status] = (this.statuses[answer.status] ?? 0) + 1;
    this.bodyBytes += answer.bodyBytes;
    if (answer.bodyBytes > this.maxBodyBytes) this.maxBodyBytes = answer.bodyBytes;
    if (answer.contentEncoding)
      this.encodings[answer.contentEncoding] = (this.encodings[answer.contentEncoding] ?? 0) + 1;
    if (answer.etag) this.lastEtag = answer.etag;
    if (timingNames && answer.serverTiming) {
      for (const part of answer.serverTiming.split(',')) {
        const [name, ...params] = part.trim().split(';');
        if (!name || !timingNames.includes(name)) continue;
        const dur = params.find((p) => p.trim().startsWith('dur='));
        if (dur) (this.timing[name] ??= []).push(Number(dur.trim().slice(4)));
      }
    }
  }

  /** A request that was never sent; `ms` is how long it had waited since it was due. */
  unsent(ms: number): void {
    this.push(ms);
    this.statuses.unsent = (this.statuses.unsent ?? 0) + 1;
  }

  error(error: Error): void {
    const key = error.message.slice(0, 40);
    this.errors[key] = (this.errors[key] ?? 0) + 1;
  }

  percentiles(): { p50: number; p90: number; p99: number; max: number; mean: number } {
    const sorted = this.latencies.slice(0, this.count).sort();
    const at = (p: number) => (this.count ? sorted[Math.min(this.count - 1, Math.floor((p / 100) * this.count))]! : 0);
    let sum = 0;
    for (let i = 0; i < this.count; i++) sum += sorted[i]!;
    return {
      p50: at(50),
      p90: at(90),
      p99: at(99),
      max: this.count ? sorted[this.count - 1]! : 0,
      mean: this.count ? sum / this.count : 0,
    };
  }
}

export type LoadOutcome = {
  name: string;
  mode: 'closed' | 'open';
  /** Measured window: first send to last answer, milliseconds. */
  windowMs: number;
  requests: number;
  rps: number;
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
  statuses: Record<string, number>;
  errors: Record<string, number>;
  warmup: { requests: number; statuses: Record<string, number>; errors: Record<string, number> };
  meanBodyBytes: number;
  maxBodyBytes: number;
  encodings: Record<string, number>;
  timing: Record<string, { mean: number; p99: number; n: number }>;
  lastEtag?: string;
  /**
   * Open loop: the offered rate, connections opened, how late this process got to requests that were due (its own
   * lag), how many waited for a connection because all were busy with the server (and the longest such queue), and
   * how many were never sent (still waiting when the drain time ran out).
   */
  offered?: {
    rate: number;
    connections: number;
    schedLagP99: number;
    schedLagMax: number;
    queued: number;
    maxBacklog: number;
    unsent: number;
  };
};

type Common<T> = {
  name: string;
  target: Target;
  warmupMs: number;
  durationMs: number;
  /** The next request; `measured` says whether it falls in the measured window. Null: nothing left to send. */
  next: (measured: boolean) => Prepared<T> | null;
  onAnswer?: (tag: T | undefined, answer: Answer | null, measured: boolean) => void;
  /** Called with nothing in flight just before the measured window and just after it (awaited). */
  onWindow?: (edge: 'start' | 'end') => void | Promise<void>;
  timingNames?: readonly string[];
  timeoutMs?: number;
};

function summarise(
  name: string,
  mode: 'closed' | 'open',
  rec: Recorder,
  warm: Recorder,
  windowMs: number,
): LoadOutcome {
  const answered = rec.count - (rec.statuses.unsent ?? 0);
  const timing: LoadOutcome['timing'] = {};
  for (const [k, values] of Object.entries(rec.timing)) {
    const sorted = [...values].sort((a, b) => a - b);
    timing[k] = {
      mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
      p99: sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))] ?? 0,
      n: sorted.length,
    };
  }
  return {
    name,
    mode,
    windowMs,
    requests: answered,
    rps: answered / (windowMs / 1000),
    latency: rec.percentiles(),
    statuses: rec.statuses,
    errors: rec.errors,
    warmup: { requests: warm.count, statuses: warm.statuses, errors: warm.errors },
    meanBodyBytes: answered ? rec.bodyBytes / answered : 0,
    maxBodyBytes: rec.maxBodyBytes,
    encodings: rec.encodings,
    timing,
    lastEtag: rec.lastEtag,
  };
}

/** Closed loop: `connections` keep-alive connections, each with one request in flight at a time. */
export async function runClosed<T>(options: Common<T> & { connections: number }): Promise<LoadOutcome> {
  const conns = Array.from({ length: options.connections }, () => new Connection(options.target, options.timeoutMs));
  const warm = new Recorder();
  const rec = new Recorder();
  const loop = async (conn: Connection, until: number, measured: boolean) => {
    const into = measured ? rec : warm;
    while (performance.now() < until) {
      const req = options.next(measured);
      if (!req) return;
      const started = performance.now();
      try {
        const answer = await conn.send(req.bytes, req.keepBody);
        into.add(performance.now() - started, answer, measured ? options.timingNames : undefined);
        options.onAnswer?.(req.tag, answer, measured);
      } catch (error) {
        into.error(error as Error);
        options.onAnswer?.(req.tag, null, measured);
      }
    }
  };
  try {
    if (options.warmupMs > 0) {
      const until = performance.now() + options.warmupMs;
      await Promise.all(conns.map((c) => loop(c, until, false)));
    }
    await options.onWindow?.('start');
    const started = performance.now();
    await Promise.all(conns.map((c) => loop(c, started + options.durationMs, true)));
    const windowMs = performance.now() - started;
    await options.onWindow?.('end');
    return summarise(options.name, 'closed', rec, warm, windowMs);
  } finally {
    for (const c of conns) c.destroy();
  }
}

/**
 * Open loop at `rate` requests per second. Each request goes to an idle connection; a new one is opened while fewer
 * than `maxConnections` exist; beyond that requests wait (and that wait is part of their latency). Requests still
 * waiting for a connection `maxDrainMs` after the last one was due are not sent: they count as "unsent" with the
 * time they had waited as their latency (a lower bound), so a server far below the rate cannot stretch the run.
 */
export async function runOpen<T>(
  options: Common<T> & { rate: number; maxConnections: number; initialConnections?: number; maxDrainMs?: number },
): Promise<LoadOutcome> {
  const idle: Connection[] = Array.from(
    { length: Math.min(options.initialConnections ?? 16, options.maxConnections) },
    () => new Connection(options.target, options.timeoutMs),
  );
  const all = [...idle];
  const interval = 1000 / options.rate;
  const warm = new Recorder();
  const rec = new Recorder();
  const lags: number[] = [];
  const stats = { queued: 0, maxBacklog: 0, unsent: 0 };

  const phase = (durationMs: number, measured: boolean) =>
    new Promise<number>((resolve) => {
      const into = measured ? rec : warm;
      const backlog: { due: number; req: Prepared<T> }[] = [];
      const start = performance.now();
      const end = start + durationMs;
      let due = start;
      let inFlight = 0;
      let scheduling = true;
      let lastDone = start;
      let drainTimer: NodeJS.Timeout | undefined;
      const maybeDone = () => {
        if (!scheduling && inFlight === 0 && backlog.length === 0) {
          clearTimeout(drainTimer);
          resolve(lastDone - start);
        }
      };
      const dispatch = (conn: Connection, item: { due: number; req: Prepared<T> }) => {
        inFlight++;
        conn.send(item.req.bytes, item.req.keepBody).then(
          (answer) => {
            lastDone = performance.now();
            into.add(lastDone - item.due, answer, measured ? options.timingNames : undefined);
            options.onAnswer?.(item.req.tag, answer, measured);
            release(conn);
          },
          (error: Error) => {
            lastDone = performance.now();
            into.error(error);
            options.onAnswer?.(item.req.tag, null, measured);
            release(conn);
          },
        );
      };
      const release = (conn: Connection) => {
        inFlight--;
        const waiting = backlog.shift();
        if (waiting) dispatch(conn, waiting);
        else idle.push(conn);
        maybeDone();
      };
      const tick = () => {
        const now = performance.now();
        while (due <= now && due < end) {
          const req = options.next(measured);
          if (!req) {
            due = end;
            break;
          }
          // How late this process got to a request that was due: the generator's own lag, not the server's.
          if (measured) lags.push(now - due);
          const item = { due, req };
          due += interval;
          let conn = idle.pop();
          if (!conn && all.length < options.maxConnections) {
            conn = new Connection(options.target, options.timeoutMs);
            all.push(conn);
          }
          if (conn) dispatch(conn, item);
          else {
            backlog.push(item);
            if (measured) {
              stats.queued++;
              stats.maxBacklog = Math.max(stats.maxBacklog, backlog.length);
            }
          }
        }
        if (due < end) setTimeout(tick, Math.max(0, due - performance.now() - 0.3));
        else {
          scheduling = false;
          drainTimer = setTimeout(
            () => {
              const now = performance.now();
              for (const item of backlog.splice(0)) {
                into.unsent(now - item.due);
                options.onAnswer?.(item.req.tag, null, measured);
                if (measured) stats.unsent++;
              }
              lastDone = now;
              maybeDone();
            },
            options.maxDrainMs ?? Math.max(10_000, durationMs),
          );
          maybeDone();
        }
      };
      tick();
    });

  try {
    if (options.warmupMs > 0) await phase(options.warmupMs, false);
    await options.onWindow?.('start');
    const windowMs = await phase(options.durationMs, true);
    await options.onWindow?.('end');
    const out = summarise(options.name, 'open', rec, warm, windowMs);
    lags.sort((a, b) => a - b);
    out.offered = {
      rate: options.rate,
      connections: all.length,
      schedLagP99: lags[Math.floor(0.99 * (lags.length - 1))] ?? 0,
      schedLagMax: lags.at(-1) ?? 0,
      ...stats,
    };
    return out;
  } finally {
    for (const c of all) c.destroy();
  }
}

/** One request outside any measurement (set-up, probes). */
export async function once(target: Target, bytes: Buffer, keepBody = true): Promise<Answer> {
  const conn = new Connection(target);
  try {
    return await conn.send(bytes, keepBody);
  } finally {
    conn.destroy();
  }
}
