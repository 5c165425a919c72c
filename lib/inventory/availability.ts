import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { SEAT_STATUS_CODE } from '@/db/schema';
import { rows } from '@/db/sql';
import { type AvailabilityChange, type AvailabilityResponse, type AvailabilitySnapshot, type AvailabilityStatus } from '@/lib/contracts/inventory';
import { getSaleRules } from './sale-rules';

const AVAILABLE = SEAT_STATUS_CODE.available;
const HELD = SEAT_STATUS_CODE.held;
const CODE_BY_STATUS = ['available', 'held', 'sold', 'blocked'] as const;
const ASCII = { available: 48, held: 49, sold: 50, blocked: 51, yours: 52 } as const; // '0'..'4'

/** How many recent changes each process keeps in memory to answer `?since=` without a query. */
const RECENT_CHANGES = 4_000;
/** A client further behind than this gets a snapshot: it is smaller than the changes. */
const MAX_DELTA_CHANGES = 2_000;

type ChangeRow = { version: number; status: number; positions: number[]; heldBy: string | null; heldUntil: number | null };

/** The event's availability as this process last saw it, kept current from the change feed. */
type State = {
  eventId: string;
  version: number;
  status: Uint8Array;
  heldUntil: Float64Array;
  heldBy: (string | null)[];
  recent: ChangeRow[];
  /** The anonymous status string for `version`, valid until `validUntil` (the next hold expiry). */
  base?: { version: number; validUntil: number; text: string; counts: AvailabilitySnapshot['counts'] };
  refreshing?: Promise<void>;
};

const holder = globalThis as { __admitoneAvailability?: Map<string, Promise<State>> };
const states = (holder.__admitoneAvailability ??= new Map());

async function loadState(db: Database, eventId: string): Promise<State> {
  // One statement, one snapshot: the version and the seats agree.
  const seatRows = await rows<{ version: number | string; idx: number; status: string; held_until: Date | string | null; held_by: string | null }>(
    db,
    sql`select ea.version, es.idx, es.status, es.held_until, es.held_by
        from event_availability ea join event_seats es on es.event_id = ea.event_id
        where ea.event_id = ${eventId} order by es.idx`,
  );
  const n = seatRows.length;
  const state: State = {
    eventId,
    version: n ? Number(seatRows[0]!.version) : 0,
    status: new Uint8Array(n),
    heldUntil: new Float64Array(n),
    heldBy: new Array<string | null>(n).fill(null),
    recent: [],
  };
  for (const r of seatRows) {
    state.status[r.idx] = SEAT_STATUS_CODE[r.status as keyof typeof SEAT_STATUS_CODE];
    if (r.held_until) state.heldUntil[r.idx] = new Date(r.held_until).getTime();
    state.heldBy[r.idx] = r.held_by;
  }
  return state;
}

function apply(state: State, change: ChangeRow): void {
  for (const p of change.positions) {
    state.status[p] = change.status;
    state.heldUntil[p] = change.status === HELD ? (change.heldUntil ?? 0) : 0;
    state.heldBy[p] = change.status === HELD ? change.heldBy : null;
  }
  state.version = change.version;
  state.recent.push(change);
  if (state.recent.length > RECENT_CHANGES) state.recent.splice(0, state.recent.length - RECENT_CHANGES);
}

async function fetchChanges(db: Database, eventId: string, after: number, limit = MAX_DELTA_CHANGES + 1): Promise<ChangeRow[]> {
  const found = await rows<{ version: number | string; status: number; seat_idx: number[]; held_by: string | null; held_until: Date | string | null }>(
    db,
    sql`select version, status, seat_idx, held_by, held_until from availability_changes
        where event_id = ${eventId} and version > ${after} order by version limit ${limit}`,
  );
  return found.map((c) => ({
    version: Number(c.version),
    status: Number(c.status),
    positions: c.seat_idx.map(Number),
    heldBy: c.held_by,
    heldUntil: c.held_until ? new Date(c.held_until).getTime() : null,
  }));
}

/** Brings the state up to the database's version; concurrent readers share one round trip. */
async function refresh(db: Database, state: State): Promise<void> {
  state.refreshing ??= (async () => {
    try {
      const [row] = await rows<{ version: number | string }>(db, sql`select version from event_availability where event_id = ${state.eventId}`);
      const latest = Number(row?.version ?? 0);
      if (latest <= state.version) return;
      const changes = await fetchChanges(db, state.eventId, state.version);
      if (changes.length === 0 || changes[0]!.version !== state.version + 1 || changes.length > MAX_DELTA_CHANGES) {
        const fresh = await loadState(db, state.eventId); // the feed was pruned past us, or we are far behind
        Object.assign(state, { version: fresh.version, status: fresh.status, heldUntil: fresh.heldUntil, heldBy: fresh.heldBy, recent: [], base: undefined });
        return;
      }
      for (const change of changes) apply(state, change);
    } finally {
      state.refreshing = undefined;
    }
  })();
  return state.refreshing;
}

async function currentState(db: Database, eventId: string): Promise<State> {
  let pending = states.get(eventId);
  if (!pending) {
    pending = loadState(db, eventId);
    states.set(eventId, pending);
    pending.catch(() => states.delete(eventId));
    if (states.size > 64) states.delete(states.keys().next().value!);
    return pending;
  }
  const state = await pending;
  await refresh(db, state);
  return state;
}

function statusText(state: State, now: number): NonNullable<State['base']> {
  if (state.base && state.base.version === state.version && now < state.base.validUntil) return state.base;
  const n = state.status.length;
  const bytes = Buffer.allocUnsafe(n);
  const counts = { available: 0, held: 0, sold: 0, blocked: 0 };
  let validUntil = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    let s = state.status[i]!;
    if (s === HELD) {
      const until = state.heldUntil[i]!;
      if (until <= now) s = AVAILABLE;
      else if (until < validUntil) validUntil = until;
    }
    bytes[i] = 48 + s;
    counts[CODE_BY_STATUS[s]!]++;
  }
  state.base = { version: state.version, validUntil, text: bytes.toString('latin1'), counts };
  return state.base;
}

function snapshotFor(state: State, viewerId: string | null, now: number, pollAfterMs: number): AvailabilitySnapshot {
  const base = statusText(state, now);
  let text = base.text;
  if (viewerId) {
    let bytes: Buffer | undefined;
    for (let i = 0; i < state.heldBy.length; i++) {
      if (state.heldBy[i] === viewerId && state.status[i] === HELD && state.heldUntil[i]! > now) {
        bytes ??= Buffer.from(base.text, 'latin1');
        bytes[i] = ASCII.yours;
      }
    }
    if (bytes) text = bytes.toString('latin1');
  }
  return {
    kind: 'snapshot',
    eventId: state.eventId,
    version: state.version,
    serverTime: new Date(now).toISOString(),
    statuses: text,
    counts: base.counts,
    pollAfterMs,
  };
}

function toPublicChange(change: ChangeRow, viewerId: string | null): AvailabilityChange {
  const status: AvailabilityStatus = change.status === HELD && viewerId && change.heldBy === viewerId ? 'yours' : CODE_BY_STATUS[change.status]!;
  return {
    version: change.version,
    status,
    positions: change.positions,
    ...(change.status === HELD && change.heldUntil ? { expiresAt: new Date(change.heldUntil).toISOString() } : {}),
  };
}

export type AvailabilityQuery = { since?: number; viewerId: string | null; now?: Date };

/**
 * The availability of an event: a snapshot, or with `since` the changes after that version (a snapshot again
 * when `since` is unknown or too old). Seats of holds whose time passed read as available; the viewer's own held
 * seats read as "yours", and nobody else learns who holds a seat.
 */
export async function getAvailability(db: Database, eventId: string, query: AvailabilityQuery): Promise<AvailabilityResponse> {
  const rules = await getSaleRules(db, eventId); // NOT_FOUND for unknown events and drafts
  const state = await currentState(db, eventId);
  const now = (query.now ?? new Date()).getTime();
  const selling = rules.status === 'published' && rules.onSaleAt.getTime() <= now && now < rules.startsAt.getTime();
  const pollAfterMs = selling ? 5_000 : 30_000;
  const since = query.since;
  if (since === undefined || since > state.version) return snapshotFor(state, query.viewerId, now, pollAfterMs);
  if (since === state.version) {
    return { kind: 'delta', eventId, from: since, version: state.version, serverTime: new Date(now).toISOString(), changes: [], pollAfterMs };
  }
  if (state.version - since > MAX_DELTA_CHANGES) return snapshotFor(state, query.viewerId, now, pollAfterMs);
  let changes: ChangeRow[];
  const oldest = state.recent[0]?.version;
  if (oldest !== undefined && oldest <= since + 1) {
    changes = state.recent.filter((c) => c.version > since && c.version <= state.version);
  } else {
    changes = (await fetchChanges(db, eventId, since, state.version - since)).filter((c) => c.version <= state.version);
    if (changes[0]?.version !== since + 1) return snapshotFor(state, query.viewerId, now, pollAfterMs); // pruned
  }
  return {
    kind: 'delta',
    eventId,
    from: since,
    version: state.version,
    serverTime: new Date(now).toISOString(),
    changes: changes.map((c) => toPublicChange(c, query.viewerId)),
    pollAfterMs,
  };
}

/** The version this process knows for the event, refreshed from the database (for the SSE hub). */
export async function currentVersion(db: Database, eventId: string): Promise<number> {
  return (await currentState(db, eventId)).version;
}

/** Tests: forget what this process cached. */
export function forgetAvailability(): void {
  states.clear();
}

