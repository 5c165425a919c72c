/**
 * CPU time of processes from /proc, for "CPU milliseconds per request" figures: a process tree's time is the sum,
 * over every live process in it, of utime + stime (its own) + cutime + cstime (its children that exited and were
 * reaped). So a PostgreSQL backend that ends mid-run is not lost (the postmaster reaps it), nor a `next start`
 * worker, nor a Redis fork. Linux only; every sample is one scan of /proc (about a millisecond).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import postgres from 'postgres';
import IORedis from 'ioredis';

let ticksPerSecond: number | undefined;
/** Clock ticks per second of the /proc times (`getconf CLK_TCK`, 100 on Linux). */
export function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    const answer = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    const n = Number(answer.stdout?.trim());
    ticksPerSecond = answer.status === 0 && n > 0 ? n : 100;
  }
  return ticksPerSecond;
}

type Stat = { pid: number; ppid: number; comm: string; own: number; reaped: number };

/** Fields of /proc/<pid>/stat: the command is in parentheses and may itself contain spaces or parentheses. */
function parseStat(text: string): Stat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < 0) return null;
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is field 3 (state): field n is rest[n - 3].
  const n = (field: number) => Number(rest[field - 3]);
  return {
    pid: Number(text.slice(0, open - 1)),
    comm: text.slice(open + 1, close),
    ppid: n(4),
    own: n(14) + n(15),
    reaped: n(16) + n(17),
  };
}

/** One pass over /proc: every process with its parent and its times in ticks. */
export function scanProcesses(): Map<number, Stat> {
  const all = new Map<number, Stat>();
  for (const name of readdirSync('/proc')) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    try {
      const stat = parseStat(readFileSync(`/proc/${name}/stat`, 'utf8'));
      if (stat) all.set(stat.pid, stat);
    } catch {
      // exited while we looked
    }
  }
  return all;
}

/** Total CPU milliseconds of the tree under `root` (live processes and everything they reaped). */
export function treeMs(all: Map<number, Stat>, root: number, members?: Set<number>): number {
  const children = new Map<number, number[]>();
  for (const s of all.values()) (children.get(s.ppid) ?? children.set(s.ppid, []).get(s.ppid)!).push(s.pid);
  let ticks = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    const s = all.get(pid);
    if (!s) continue;
    members?.add(pid);
    ticks += s.own + s.reaped;
    stack.push(...(children.get(pid) ?? []));
  }
  return (ticks * 1000) / clockTicks();
}

/** CPU milliseconds of each process directly under `parent`, by pid (PostgreSQL backends by pid). */
export function childrenMs(all: Map<number, Stat>, parent: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const s of all.values()) if (s.ppid === parent) out.set(s.pid, ((s.own + s.reaped) * 1000) / clockTicks());
  return out;
}

/** Busy and total milliseconds of the whole machine (all cores) from /proc/stat. */
export function machineMs(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already in user)
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = f[3]! + (f[4] ?? 0);
  const k = 1000 / clockTicks();
  return { busy: (total - idle) * k, total: total * k };
}

export const isLocalPid = (pid: number | undefined): pid is number =>
  typeof pid === 'number' && pid > 0 && existsSync(`/proc/${pid}/stat`);

/** The postmaster of the PostgreSQL server at `url`: the parent of our own backend (it must run on this machine). */
export async function postmasterPid(url: string): Promise<number | undefined> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
    const stat = row && isLocalPid(row.pid) ? parseStat(readFileSync(`/proc/${row.pid}/stat`, 'utf8')) : null;
    return stat && isLocalPid(stat.ppid) ? stat.ppid : undefined;
  } finally {
    await sql.end();
  }
}

/** The redis-server process behind `url` (INFO server's process_id), if it runs on this machine. */
export async function redisPid(url: string): Promise<number | undefined> {
  const redis = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await redis.connect();
    const pid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1]);
    return isLocalPid(pid) ? pid : undefined;
  } finally {
    redis.disconnect();
  }
}

export type CpuSample = {
  at: number;
  ms: Record<string, number>;
  machine: { busy: number; total: number };
  self: number;
  pgChildren?: Map<number, number>;
  /** The postmaster's own time and what it reaped (exited backends and workers), ms. */
  pgReaped?: number;
  /** Every other process (not in a measured tree, not this process or its children): command and CPU ms. */
  others: Map<number, { comm: string; ms: number }>;
};

/**
 * Samples the CPU time of named process trees (the app, PostgreSQL, Redis, a reference server…) and of this process
 * (process.cpuUsage: the load generator). Take one sample before a measured window and one after.
 */
export class CpuMeter {
  constructor(
    readonly roots: Record<string, number | undefined>,
    /** The postmaster, to tell our backends from other databases' (see foreignPgMs). */
    private readonly postmaster?: number,
  ) {}

  sample(): CpuSample {
    const all = scanProcesses();
    const ms: Record<string, number> = {};
    const ours = new Set<number>();
    for (const [name, pid] of Object.entries(this.roots)) if (pid) ms[name] = treeMs(all, pid, ours);
    treeMs(all, process.pid, ours);
    const others = new Map<number, { comm: string; ms: number }>();
    const k = 1000 / clockTicks();
    for (const s of all.values()) if (!ours.has(s.pid)) others.set(s.pid, { comm: s.comm, ms: s.own * k });
    const self = process.cpuUsage();
    const pm = this.postmaster ? all.get(this.postmaster) : undefined;
    return {
      at: performance.now(),
      ms,
      machine: machineMs(),
      self: (self.user + self.system) / 1000,
      pgChildren: this.postmaster ? childrenMs(all, this.postmaster) : undefined,
      pgReaped: pm ? (pm.own + pm.reaped) * k : undefined,
      others,
    };
  }

  static delta(before: CpuSample, after: CpuSample): CpuDelta {
    const ms: Record<string, number> = {};
    for (const name of Object.keys(after.ms)) ms[name] = after.ms[name]! - (before.ms[name] ?? 0);
    // Other work on the machine, by command (processes that ended in between are not seen).
    const byComm = new Map<string, number>();
    for (const [pid, o] of after.others) {
      const used = o.ms - (before.others.get(pid)?.ms ?? 0);
      if (used > 0) byComm.set(o.comm, (byComm.get(o.comm) ?? 0) + used);
    }
    const others = [...byComm.entries()].sort((a, b) => b[1] - a[1]).map(([comm, used]) => ({ comm, ms: used }));
    return {
      wallMs: after.at - before.at,
      ms,
      machineBusyMs: after.machine.busy - before.machine.busy,
      machineTotalMs: after.machine.total - before.machine.total,
      generatorMs: after.self - before.self,
      others,
      before,
      after,
    };
  }
}

export type CpuDelta = {
  wallMs: number;
  ms: Record<string, number>;
  machineBusyMs: number;
  machineTotalMs: number;
  generatorMs: number;
  /** CPU of other processes in the window, by command, largest first. */
  others: { comm: string; ms: number }[];
  before: CpuSample;
  after: CpuSample;
};

/**
 * CPU of PostgreSQL backends serving other databases during a window (another test run on the same server): their
 * time is in the PostgreSQL figure, which covers the whole server. `ours` are the databases of this benchmark.
 */
export async function foreignPgMs(
  admin: postgres.Sql,
  delta: CpuDelta,
  ours: string[],
): Promise<{ ms: number; backends: number }> {
  const before = delta.before.pgChildren;
  const after = delta.after.pgChildren;
  if (!before || !after) return { ms: 0, backends: 0 };
  const rows = await admin<
    { pid: number; datname: string | null }[]
  >`select pid, datname from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()`;
  let ms = 0;
  let backends = 0;
  for (const r of rows) {
    if (r.datname && ours.includes(r.datname)) continue;
    const used = (after.get(r.pid) ?? 0) - (before.get(r.pid) ?? 0);
    if (used > 0) {
      ms += used;
      backends++;
    }
  }
  return { ms, backends };
}

/**
 * Transactions of other databases so far (pg_stat_database): their backends may come and go within a window (test
 * runs), and then their CPU is in the postmaster's reaped time, which no pid tells apart. This at least says so.
 */
export async function otherDatabaseXacts(admin: postgres.Sql, ours: string[]): Promise<number> {
  const [row] = await admin<
    { n: string | null }[]
  >`select sum(xact_commit + xact_rollback)::text as n from pg_stat_database where datname is not null and datname <> all(${ours}) and datname <> 'postgres'`;
  return Number(row?.n ?? 0);
}

const kinds = new Map<number, string>();
/** What a PostgreSQL child process is, from its title: "backend" for client connections, else its role. */
function pgKind(pid: number): string {
  let kind = kinds.get(pid);
  if (!kind) {
    let title = '';
    try {
      title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    } catch {
      // gone
    }
    const role = title.replace(/^postgres:\s*(\d+\/\w+:\s*)?/, '');
    kind = /\d+\.\d+\.\d+\.\d+\(|\[local\]|\(\d+\)/.test(role)
      ? 'backends'
      : role.split(/\s+/).slice(0, 2).join(' ') || 'other';
    kinds.set(pid, kind);
  }
  return kind;
}

/** PostgreSQL's CPU in a window by kind of process: backends, WAL writer, checkpointer…, and exited ones. */
export function pgBreakdown(delta: CpuDelta): Record<string, number> {
  const before = delta.before.pgChildren;
  const after = delta.after.pgChildren;
  if (!before || !after) return {};
  const out: Record<string, number> = {};
  for (const [pid, ms] of after) {
    const used = ms - (before.get(pid) ?? 0);
    if (used <= 0) continue;
    const kind = pgKind(pid);
    out[kind] = (out[kind] ?? 0) + used;
  }
  // A process that exited moved all its time into the postmaster's reaped time; only what it used here counts.
  let gone = 0;
  for (const [pid, ms] of before) if (!after.has(pid)) gone += ms;
  const reaped = (delta.after.pgReaped ?? 0) - (delta.before.pgReaped ?? 0) - gone;
  if (reaped > 0) out['postmaster and exited'] = reaped;
  return out;
}

/** Waits (up to 20 s) until the measured processes use less than 5% of a core for a whole second. */
export async function settle(meter: CpuMeter): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const before = meter.sample();
    await new Promise((r) => setTimeout(r, 1_000));
    const d = CpuMeter.delta(before, meter.sample());
    if (Object.values(d.ms).reduce((a, b) => a + b, 0) < 0.05 * d.wallMs) return;
  }
}
