/**
 * A TCP proxy in front of PostgreSQL that counts what goes through it: statements (simple Query messages and
 * Executes of the extended protocol, by their text), and transactions as the server reports them (ReadyForQuery's
 * status byte: each return to idle after work ends one transaction, explicit or implicit; its CommandComplete tags
 * tell a COMMIT from a ROLLBACK). pg_stat_statements needs shared_preload_libraries and a restart of the server,
 * which a benchmark must not do to a shared PostgreSQL; this needs nothing. For counting only: it adds a hop and
 * CPU in this process, so throughput is never measured through it.
 */
import net from 'node:net';

export type TxRecord = { statements: string[]; tags: string[]; committed: boolean; wrote: boolean; at: number };

export type Counts = {
  statements: number;
  /** Statements that are only transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT…). */
  control: number;
  commits: number;
  rollbacks: number;
  /** Committed transactions that changed something (an INSERT/UPDATE/DELETE tag, or such a statement's text). */
  writingCommits: number;
  byText: Map<string, number>;
};

const CONTROL = /^\s*(begin|start transaction|commit|end|rollback|savepoint|release|set\s+(local\s+)?transaction)\b/i;
const WRITES = /\b(insert|update|delete|merge)\b/i;
const WRITE_TAG = /^(INSERT|UPDATE|DELETE|MERGE|COPY)\b/;

/** A short form of a statement, to group them: whitespace folded, parameters as they are ($1…), cut at 140. */
export const shape = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 140);

export class PgCountProxy {
  private server: net.Server;
  private sockets = new Set<net.Socket>();
  counting = false;
  counts: Counts = fresh();
  /** Every finished transaction while `trace` is on. */
  trace: TxRecord[] | null = null;
  port = 0;
  /** Armed by freezeReplyTo: the next matching statement's reply is kept from the client. */
  private freeze: { match: (text: string, bind: Buffer) => boolean; frozen: () => void } | null = null;
  private replyWatch: { match: (text: string, bind: Buffer) => boolean; onReply: (reply: Buffer) => void } | null =
    null;

  constructor(private readonly upstream: { host: string; port: number }) {
    this.server = net.createServer((client) => this.connection(client));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  /**
   * Keeps the reply to the next statement that `match`es (its text, and the Bind message carrying its parameters)
   * from the client, for good: PostgreSQL runs and commits it, the client never hears. Resolves once the whole reply
   * (up to ReadyForQuery) is held, i.e. after the commit. For bench/chaos/crash.ts: the app is killed in that gap,
   * between a commit and its answer, as a crash would.
   */
  freezeReplyTo(match: (text: string, bind: Buffer) => boolean): Promise<void> {
    return new Promise((resolve) => {
      this.freeze = { match, frozen: resolve };
    });
  }

  disarm(): void {
    this.freeze = null;
    this.replyWatch = null;
  }

  /** Hands the whole reply (up to ReadyForQuery) to the next statement that `match`es to `onReply`, still passing it on. */
  watchReply(match: (text: string, bind: Buffer) => boolean, onReply: (reply: Buffer) => void): void {
    this.replyWatch = { match, onReply };
  }

  reset(): Counts {
    const done = this.counts;
    this.counts = fresh();
    return done;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private connection(client: net.Socket): void {
    const server = net.connect(this.upstream);
    this.sockets.add(client);
    this.sockets.add(server);
    client.setNoDelay(true);
    server.setNoDelay(true);
    const state: ConnState = {
      withholding: false,
      binds: new Map(),
      started: false,
      sslAnswer: false,
      statements: new Map(),
      portals: new Map(),
      building: [],
      batches: [],
      tx: [],
      tags: [],
      failed: false,
      last: 'I',
    };
    let front: Buffer = Buffer.alloc(0);
    let back: Buffer = Buffer.alloc(0);

    client.on('data', (data: Buffer) => {
      server.write(data);
      front = front.length ? Buffer.concat([front, data]) : data;
      for (;;) {
        if (!state.started) {
          if (front.length < 8) break;
          const len = front.readInt32BE(0);
          if (front.length < len) break;
          const code = front.readInt32BE(4);
          if (code === 80877103 || code === 80877104)
            state.sslAnswer = true; // SSL/GSS request: one byte comes back
          else if (code !== 80877102) state.started = true;
          front = front.subarray(len);
          continue;
        }
        if (front.length < 5) break;
        const len = front.readInt32BE(1);
        if (front.length < len + 1) break;
        this.frontend(String.fromCharCode(front[0]!), front.subarray(5, len + 1), state);
        front = front.subarray(len + 1);
      }
    });
    server.on('data', (data: Buffer) => {
      if (!state.withholding) client.write(data);
      back = back.length ? Buffer.concat([back, data]) : data;
      for (;;) {
        if (state.sslAnswer) {
          if (back.length < 1) break;
          state.sslAnswer = false;
          back = back.subarray(1);
          continue;
        }
        if (back.length < 5) break;
        const len = back.readInt32BE(1);
        if (back.length < len + 1) break;
        this.backend(String.fromCharCode(back[0]!), back.subarray(5, len + 1), state);
        back = back.subarray(len + 1);
      }
    });
    const end = () => {
      client.destroy();
      server.destroy();
      this.sockets.delete(client);
      this.sockets.delete(server);
    };
    client.on('error', end);
    server.on('error', end);
    client.on('close', end);
    server.on('close', end);
  }

  private frontend(type: string, body: Buffer, state: ConnState): void {
    const cstr = (from: number): [string, number] => {
      const zero = body.indexOf(0, from);
      return [body.toString('utf8', from, zero), zero + 1];
    };
    switch (type) {
      case 'Q': {
        const [text] = cstr(0);
        this.watch(text, body, state);
        this.statement(text);
        state.batches.push([text]);
        break;
      }
      case 'S':
        // One ReadyForQuery answers each Sync: the statements since the last one belong to it.
        state.batches.push(state.building);
        state.building = [];
        break;
      case 'P': {
        const [name, next] = cstr(0);
        const [text] = cstr(next);
        state.statements.set(name, text);
        break;
      }
      case 'B': {
        const [portal, next] = cstr(0);
        const [name] = cstr(next);
        state.portals.set(portal, state.statements.get(name) ?? '?');
        state.binds.set(portal, Buffer.from(body));
        break;
      }
      case 'E': {
        const [portal] = cstr(0);
        const text = state.portals.get(portal) ?? '?';
        this.watch(text, state.binds.get(portal) ?? Buffer.alloc(0), state);
        this.statement(text);
        state.building.push(text);
        break;
      }
    }
  }

  private watch(text: string, bind: Buffer, state: ConnState): void {
    if (this.replyWatch?.match(text, bind)) {
      state.replyTo = { onReply: this.replyWatch.onReply, parts: [] };
      this.replyWatch = null;
    }
    if (!this.freeze || !this.freeze.match(text, bind)) return;
    state.withholding = true;
    state.onFrozen = this.freeze.frozen;
    this.freeze = null;
  }

  private statement(text: string): void {
    if (!this.counting) return;
    this.counts.statements++;
    if (CONTROL.test(text)) this.counts.control++;
    const s = shape(text);
    this.counts.byText.set(s, (this.counts.byText.get(s) ?? 0) + 1);
  }

  private backend(type: string, body: Buffer, state: ConnState): void {
    if (state.replyTo) {
      if (type === 'Z') {
        state.replyTo.onReply(Buffer.concat(state.replyTo.parts));
        state.replyTo = undefined;
      } else state.replyTo.parts.push(Buffer.from(body));
    }
    if (type === 'C') state.tags.push(body.toString('latin1', 0, body.length - 1));
    else if (type === 'E') state.failed = true;
    else if (type === 'Z') {
      const status = String.fromCharCode(body[0]!);
      if (state.onFrozen) {
        state.onFrozen();
        state.onFrozen = undefined;
      }
      state.tx.push(...(state.batches.shift() ?? []));
      const worked = state.tags.length > 0 || state.failed;
      if (status === 'I' && (state.last !== 'I' || worked)) {
        const committed = !state.failed && !state.tags.includes('ROLLBACK');
        const wrote =
          state.tags.some((t) => WRITE_TAG.test(t)) || state.tx.some((t) => !CONTROL.test(t) && WRITES.test(t));
        if (this.counting) {
          if (committed) this.counts.commits++;
          else this.counts.rollbacks++;
          if (committed && wrote) this.counts.writingCommits++;
          this.trace?.push({
            statements: state.tx.map(shape),
            tags: [...state.tags],
            committed,
            wrote,
            at: performance.now(),
          });
        }
        state.tx = [];
        state.tags = [];
        state.failed = false;
      } else if (status === 'E') state.failed = true;
      state.last = status;
    }
  }
}

type ConnState = {
  /** The reply to a frozen statement is being kept from the client (freezeReplyTo). */
  withholding: boolean;
  onFrozen?: () => void;
  /** Collecting the reply for watchReply. */
  replyTo?: { onReply: (reply: Buffer) => void; parts: Buffer[] };
  /** Each portal's Bind message (its parameters), for freezeReplyTo's match. */
  binds: Map<string, Buffer>;
  started: boolean;
  sslAnswer: boolean;
  statements: Map<string, string>;
  portals: Map<string, string>;
  /** Executes since the last Sync, then per Sync (or simple Query) in order, until its ReadyForQuery comes. */
  building: string[];
  batches: string[][];
  /** The current transaction's statements and CommandComplete tags. */
  tx: string[];
  tags: string[];
  failed: boolean;
  last: string;
};

function fresh(): Counts {
  return { statements: 0, control: 0, commits: 0, rollbacks: 0, writingCommits: 0, byText: new Map() };
}
