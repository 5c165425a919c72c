/**
 * A measured phase: a load run (bench/lib/lean-http.ts) with CPU samples of the server, PostgreSQL, Redis and
 * this process taken with nothing in flight at both ends of the measured window (warm-up excluded), and the app's
 * counters read just outside it. Plus the table and the MET/MISS lines the benchmarks print.
 */
import type postgres from 'postgres';
import { CpuMeter, foreignPgMs, otherDatabaseXacts, pgBreakdown, type CpuDelta } from './cpu';
import { runClosed, runOpen, type Answer, type LoadOutcome, type Prepared, type Target } from './lean-http';
import { scrape, type Scrape } from './prom';

export type PhaseResult = {
  key: string;
  name: string;
  /** Whose CPU is the "server" column: the app, or the reference hold server. */
  server: string;
  load: LoadOutcome;
  /** CPU milliseconds in the measured window. */
  cpu: {
    server: number;
    pg: number;
    redis: number;
    generator: number;
    machineBusy: number;
    machineTotal: number;
    windowMs: number;
  };
  /**
   * PostgreSQL CPU of other databases' backends seen at both ends (taken out of cpu.pg), their transactions in the
   * window, and the CPU of backends that ended in the window (taken out too when other databases were busy).
   */
  foreignPg: { ms: number; backends: number; xacts: number; reaped: number };
  /** Other processes' CPU in the window, by command (ms), largest first. */
  others: { comm: string; ms: number }[];
  /** PostgreSQL's CPU by kind of process (ms). */
  pgParts: Record<string, number>;
  counters?: { before: Scrape; after: Scrape };
  /** Units other than requests to divide CPU by (e.g. granted holds). */
  per?: Record<string, number>;
  notes: string[];
};

export type BenchContext = {
  meter: CpuMeter;
  /** A connection to the `postgres` database, to tell other databases' work from ours. */
  pgAdmin?: postgres.Sql;
  /** Our databases (their backends are the load we measure). */
  databases: string[];
  /** Where to read counters from, when a phase asks for them. */
  metrics?: { baseUrl: string; token?: string };
  /**
   * On a shared machine: before each phase, wait up to this long for a second in which other work takes less than a
   * quarter of a core (BENCH_WAIT_QUIET=seconds). 0: do not wait.
   */
  waitQuietMs?: number;
};

/** Waits (up to `maxMs`) for one second in which the machine does little besides the measured processes. */
export async function waitQuiet(meter: CpuMeter, maxMs: number): Promise<{ waitedMs: number; quiet: boolean }> {
  const started = performance.now();
  for (;;) {
    const before = meter.sample();
    await new Promise((r) => setTimeout(r, 1_000));
    const d = CpuMeter.delta(before, meter.sample());
    const ours = Object.values(d.ms).reduce((a, b) => a + b, 0) + d.generatorMs;
    if ((d.machineBusyMs - ours) / d.wallMs < 0.25) return { waitedMs: performance.now() - started, quiet: true };
    if (performance.now() - started >= maxMs) return { waitedMs: performance.now() - started, quiet: false };
  }
}

type Spec<T> = {
  key: string;
  name: string;
  server: string;
  target: Target;
  warmupMs: number;
  durationMs: number;
  next: (measured: boolean) => Prepared<T> | null;
  onAnswer?: (tag: T | undefined, answer: Answer | null, measured: boolean) => void;
  timingNames?: readonly string[];
  /** Read the app's counters just before and after the window. */
  counters?: boolean;
} & ({ mode: 'closed'; connections: number } | { mode: 'open'; rate: number; maxConnections: number });

export async function runPhase<T>(ctx: BenchContext, spec: Spec<T>): Promise<PhaseResult> {
  const quiet = ctx.waitQuietMs ? await waitQuiet(ctx.meter, ctx.waitQuietMs) : undefined;
  let before: ReturnType<CpuMeter['sample']> | undefined;
  let delta: CpuDelta | undefined;
  let countersBefore: Scrape | undefined;
  let countersAfter: Scrape | undefined;
  let xacts = 0;
  const onWindow = async (edge: 'start' | 'end') => {
    if (edge === 'start') {
      if (spec.counters && ctx.metrics) countersBefore = await scrape(ctx.metrics.baseUrl, ctx.metrics.token);
      if (ctx.pgAdmin) xacts = await otherDatabaseXacts(ctx.pgAdmin, ctx.databases);
      before = ctx.meter.sample();
    } else {
      delta = CpuMeter.delta(before!, ctx.meter.sample());
      if (ctx.pgAdmin) xacts = (await otherDatabaseXacts(ctx.pgAdmin, ctx.databases)) - xacts;
      if (spec.counters && ctx.metrics) countersAfter = await scrape(ctx.metrics.baseUrl, ctx.metrics.token);
    }
  };
  const common = {
    name: spec.name,
    target: spec.target,
    warmupMs: spec.warmupMs,
    durationMs: spec.durationMs,
    next: spec.next,
    onAnswer: spec.onAnswer,
    onWindow,
    timingNames: spec.timingNames,
  };
  const load =
    spec.mode === 'closed'
      ? await runClosed({ ...common, connections: spec.connections })
      : await runOpen({ ...common, rate: spec.rate, maxConnections: spec.maxConnections });
  const d = delta!;
  const foreign = ctx.pgAdmin
    ? await foreignPgMs(ctx.pgAdmin, d, ctx.databases).catch(() => ({ ms: 0, backends: 0 }))
    : { ms: 0, backends: 0 };
  const pgParts = pgBreakdown(d);
  // Backends that ended in the window are counted through the postmaster. Ours are pooled and do not come and go;
  // when other databases ran transactions meanwhile (test runs, each connecting anew), that time is theirs.
  const reaped = xacts > 0 ? (pgParts['postmaster and exited'] ?? 0) : 0;
  return {
    key: spec.key,
    name: spec.name,
    server: spec.server,
    load,
    // Backends of other databases (another test run on the same server) are not this stack's work.
    cpu: {
      server: d.ms[spec.server] ?? NaN,
      pg: (d.ms.pg ?? NaN) - foreign.ms - reaped,
      redis: d.ms.redis ?? NaN,
      generator: d.generatorMs,
      machineBusy: d.machineBusyMs,
      machineTotal: d.machineTotalMs,
      windowMs: d.wallMs,
    },
    foreignPg: { ...foreign, xacts, reaped },
    others: d.others.slice(0, 5),
    pgParts,
    counters: countersBefore && countersAfter ? { before: countersBefore, after: countersAfter } : undefined,
    notes: quiet
      ? [`waited ${fmt(quiet.waitedMs / 1000, 0)} s for the machine to quiet down${quiet.quiet ? '' : ' (it did not)'}`]
      : [],
  };
}

/**
 * Cores the machine spent on other work in the window: its busy time less what the measured processes used (this
 * also catches processes that started and ended within the window, which no scan sees).
 */
export const otherCores = (r: PhaseResult) =>
  Math.max(0, r.cpu.machineBusy - r.cpu.server - r.cpu.pg - r.cpu.redis - r.cpu.generator) / r.cpu.windowMs;

/** CPU ms per request (or per `unit` when given and known). */
export function perRequest(r: PhaseResult, what: 'server' | 'pg' | 'redis' | 'generator', unit?: string): number {
  const n = unit ? (r.per?.[unit] ?? 0) : r.load.requests;
  return n > 0 ? r.cpu[what] / n : NaN;
}

export const fmt = (n: number, digits = 1) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';
const statusText = (s: Record<string, number>) =>
  Object.entries(s)
    .map(([k, v]) => `${k}:${v}`)
    .join(' ');

/** One line per phase: throughput, latency, CPU per request of each process, and what the machine did. */
export function table(results: PhaseResult[]): string {
  const head = `${'phase'.padEnd(34)} ${'server'.padEnd(4)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(8)} ${'srv'.padStart(6)} ${'PG'.padStart(6)} ${'Redis'.padStart(6)} ${'gen'.padStart(6)} ${'cores'.padStart(5)} ${'acct'.padStart(5)}  statuses`;
  const lines = [
    head,
    `${''.padEnd(34)} ${''.padEnd(4)} ${''.padStart(7)} ${''.padStart(7)} ${''.padStart(8)} ${'--- CPU ms per request ---'.padStart(27)} ${''.padStart(5)}`,
  ];
  for (const r of results) {
    const w = r.cpu.windowMs;
    const busyCores = r.cpu.machineBusy / w;
    const accounted = (r.cpu.server + r.cpu.pg + r.cpu.redis + r.cpu.generator) / Math.max(1, r.cpu.machineBusy);
    const errors = Object.values(r.load.errors).reduce((a, b) => a + b, 0);
    lines.push(
      `${r.name.slice(0, 34).padEnd(34)} ${r.server.slice(0, 4).padEnd(4)} ${fmt(r.load.rps, 0).padStart(7)} ${fmt(r.load.latency.p50, 2).padStart(7)} ${fmt(r.load.latency.p99, 2).padStart(8)} ${fmt(perRequest(r, 'server'), 3).padStart(6)} ${fmt(perRequest(r, 'pg'), 3).padStart(6)} ${fmt(perRequest(r, 'redis'), 3).padStart(6)} ${fmt(perRequest(r, 'generator'), 3).padStart(6)} ${fmt(busyCores, 2).padStart(5)} ${`${fmt(accounted * 100, 0)}%`.padStart(5)}  ${statusText(r.load.statuses)}${errors ? ` errors:${errors}` : ''}`,
    );
  }
  lines.push(
    'srv = the app or the reference server (with its children); PG = the whole PostgreSQL server (postmaster, backends, background processes, exited backends)',
    "  less other databases' backends (and, when other databases were busy, backends that ended in the window);",
    "Redis = redis-server; gen = this load generator. cores = the machine's busy cores in the window (/proc/stat); acct = the share of it the four explain.",
  );
  return lines.join('\n');
}

/** Details per phase: warm-up outcomes, open-loop figures, other databases' load, and anything a phase noted. */
export function details(results: PhaseResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const l = r.load;
    const parts = [
      `  ${r.name}: ${l.requests} requests in ${fmt(r.cpu.windowMs / 1000, 1)} s (${l.mode} loop); warm-up ${l.warmup.requests} requests, ${statusText(l.warmup.statuses) || '-'}${Object.keys(l.warmup.errors).length ? `, errors ${JSON.stringify(l.warmup.errors)}` : ''}`,
    ];
    if (Object.keys(l.errors).length) parts.push(`    errors: ${JSON.stringify(l.errors)}`);
    if (l.offered) {
      const o = l.offered;
      parts.push(
        `    offered ${fmt(o.rate, 0)}/s over ${o.connections} connections; the generator got to due requests p99 ${fmt(o.schedLagP99, 2)} ms late (max ${fmt(o.schedLagMax, 1)}); ${o.queued} waited for a free connection (at most ${o.maxBacklog} at once)${o.unsent ? `, ${o.unsent} never sent (counted with the time they had waited)` : ''}`,
      );
    }
    if (r.per)
      for (const [unit, n] of Object.entries(r.per))
        parts.push(
          `    per ${unit} (${n}): srv ${fmt(perRequest(r, 'server', unit), 3)} ms, PG ${fmt(perRequest(r, 'pg', unit), 3)} ms, Redis ${fmt(perRequest(r, 'redis', unit), 3)} ms`,
        );
    const pgTotal = Object.values(r.pgParts).reduce((a, b) => a + b, 0);
    if (pgTotal > 0.05 * r.cpu.windowMs) {
      const parts_ = Object.entries(r.pgParts)
        .sort((a, b) => b[1] - a[1])
        .map(([k, ms]) => `${k} ${fmt((ms / Math.max(1, l.requests)) * 1000, 0)}`)
        .join(', ');
      parts.push(`    PostgreSQL CPU per request by process, µs: ${parts_}`);
    }
    if (Object.keys(l.timing).length)
      parts.push(
        `    Server-Timing (mean / p99 ms): ${Object.entries(l.timing)
          .map(([k, t]) => `${k} ${fmt(t.mean, 3)} / ${fmt(t.p99, 2)}`)
          .join(', ')}`,
      );
    if (otherCores(r) > 0.1) {
      parts.push(
        `    WARNING: other work on this machine took ${fmt(otherCores(r), 2)} cores in this window (seen: ${r.others.map((o) => `${o.comm} ${fmt(o.ms / r.cpu.windowMs, 2)}`).join(', ') || 'nothing that lived through it'}): throughput and latency are not this stack's alone; CPU per request is the figure to trust`,
      );
    }
    if (r.foreignPg.ms > 0.02 * r.cpu.pg)
      parts.push(
        `    WARNING: ${r.foreignPg.backends} backends of other databases used ${fmt(r.foreignPg.ms, 0)} ms of PostgreSQL CPU in this window (taken out of PG above)`,
      );
    if (r.foreignPg.xacts > 0) {
      parts.push(
        `    WARNING: other databases on this PostgreSQL ran ${r.foreignPg.xacts} transactions in this window: ${fmt(r.foreignPg.reaped, 0)} ms of backends that ended meanwhile were taken out of PG as theirs (BENCH_SERVICES=own avoids the guess)`,
      );
    }
    for (const note of r.notes) parts.push(`    ${note}`);
    lines.push(...parts);
  }
  return lines.join('\n');
}

export type Target_ = { what: string; ok: boolean | null; figure: string };
/** MET / MISS / n/a lines. */
export const targetLines = (targets: Target_[]) =>
  targets.map((t) => `${t.ok === null ? 'n/a ' : t.ok ? 'MET ' : 'MISS'}  ${t.what}: ${t.figure}`).join('\n');
