/**
 * Whether a streaming replica may serve reads now: it answers, and it lags the primary by at most a bound. Checked in
 * the background about once a second (never per request), by comparing write-ahead-log positions (docs/decisions/
 * 035-read-replica.md).
 *
 * How far behind: every check notes the primary's current WAL position and when it was seen. The replica has replayed
 * up to some position R; the oldest noted primary position beyond R was already on the primary at the time it was
 * noted, so the replica is missing what committed at least that long ago. When it has replayed everything noted, it
 * lags by nothing, however long the primary has been idle (unlike "now minus the last replayed commit's timestamp",
 * which grows on an idle primary, and which needs both machines' clocks to agree). The estimate is short by less than
 * one check interval.
 */

/** A WAL position (an LSN such as `16/B374D848`) as a number. */
export function parseLsn(text: string): bigint {
  const match = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i.exec(text.trim());
  if (!match) throw new Error(`not a WAL position: ${text}`);
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/** The two questions a check asks; both reject when their server does not answer. */
export type ReplicaProbe = {
  /** The primary's current WAL position. */
  primaryLsn(): Promise<bigint>;
  /** How far the replica has replayed (its own position if it has been promoted). */
  replicaLsn(): Promise<bigint>;
};

export type ReplicaState = {
  /** Reads go to the replica. */
  inUse: boolean;
  /** Why not, or `ok`. `unchecked` until the first check has finished. */
  reason: 'ok' | 'unchecked' | 'down' | 'lagging';
  /** How far behind the primary it was at the last check, in ms; null while it does not answer. */
  lagMs: number | null;
};

export type ReplicaMonitorOptions = {
  maxLagMs: number;
  intervalMs?: number;
  /** A check that takes longer counts as "does not answer". */
  timeoutMs?: number;
  now?: () => number;
  /** Told when the replica is skipped or taken back, with why. */
  onChange?: (state: ReplicaState) => void;
};

/** At one check a second, an hour of primary positions: far more than any lag bound (at most ten minutes). */
const MAX_SAMPLES = 3_600;

export class ReplicaMonitor {
  private current: ReplicaState = { inUse: false, reason: 'unchecked', lagMs: null };
  /** Primary positions not yet replayed by the replica, oldest first (positions never decrease). */
  private samples: { at: number; lsn: bigint }[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private checking: Promise<void> | undefined;

  constructor(
    private readonly probe: ReplicaProbe,
    private readonly options: ReplicaMonitorOptions,
  ) {}

  get state(): ReplicaState {
    return this.current;
  }

  /** Checks now and then every interval, until `stop()`. The timer does not keep the process alive. */
  start(): Promise<void> {
    this.timer ??= setInterval(() => void this.check(), this.options.intervalMs ?? 1_000);
    this.timer.unref?.();
    return this.check();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One check (a check still running is joined, not repeated: a slow server gets no pile of probes). */
  check(): Promise<void> {
    this.checking ??= this.runCheck().finally(() => (this.checking = undefined));
    return this.checking;
  }

  /** A read on the replica failed: skip it until a check finds it answering again. */
  failed(): void {
    this.set({ inUse: false, reason: 'down', lagMs: null });
  }

  private async runCheck(): Promise<void> {
    const now = this.options.now ?? Date.now;
    let primary: bigint;
    try {
      primary = await this.withTimeout(this.probe.primaryLsn());
    } catch {
      // The primary does not answer: nothing new can commit, so the replica cannot fall further behind. The last
      // decision stands until the primary answers again.
      return;
    }
    this.samples.push({ at: now(), lsn: primary });
    if (this.samples.length > MAX_SAMPLES) this.samples.shift();
    let replayed: bigint;
    try {
      replayed = await this.withTimeout(this.probe.replicaLsn());
    } catch {
      this.set({ inUse: false, reason: 'down', lagMs: null });
      return;
    }
    while (this.samples.length > 0 && this.samples[0]!.lsn <= replayed) this.samples.shift();
    const lagMs = this.samples.length === 0 ? 0 : Math.max(0, now() - this.samples[0]!.at);
    const ok = lagMs <= this.options.maxLagMs;
    this.set({ inUse: ok, reason: ok ? 'ok' : 'lagging', lagMs });
  }

  private set(next: ReplicaState): void {
    const changed = next.inUse !== this.current.inUse || next.reason !== this.current.reason;
    this.current = next;
    if (changed) this.options.onChange?.(next);
  }

  private withTimeout<T>(promise: Promise<T>): Promise<T> {
    const ms = this.options.timeoutMs ?? 2_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}
