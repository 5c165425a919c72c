import 'server-only';
import { LRUCache } from 'lru-cache';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { SEAT_STATUS_CODE } from '@/db/schema';
import { rows } from '@/db/sql';
import type { AvailabilityChange, AvailabilityResponse, AvailabilitySnapshot } from '@/lib/contracts/inventory';
import { getSaleRules } from './sale-rules';
import { processSingleton } from '@/lib/process-singletons';

/**
 * Seat availability served from memory (docs/decisions/019-change-feed-watermark.md).
 *
 * Each process keeps, per event, every seat's status and rev, brought up to date from the change feed. The version a
 * client sees is a watermark W: every change made by a transaction with an id below W is in; W is the oldest
 * transaction still running when the process last read the feed (pg_snapshot_xmin), so no change below it can still
 * appear, and versions only grow, on every instance alike. A seat's changes apply in the order of its rev, which
 * PostgreSQL bumps on each update, so a reader never goes back even when it reads two changes of a seat at once.
 *
 * A document (a snapshot, or the changes since a version) is built and compressed once per version and served to
 * everyone who asks, with an ETag: nothing in it depends on who asks. Buyers mark their own hold's seats themselves.
 */

const AVAILABLE = SEAT_STATUS_CODE.available;
const HELD = SEAT_STATUS_CODE.held;
const STATUS_NAMES = ['available', 'held', 'sold', 'blocked'] as const;

/** A process reads the feed at most this often per event; a client that saw a newer version makes it read at once. */
const REFRESH_MS = 100;
/** A client that asks for a version newer than ours makes us read the feed, but not more often than this. */
const FORCED_REFRESH_MS = 20;
/** Feed rows each process keeps to answer `?since=` (older asks get a snapshot). */
const RECENT_CHANGES = 20_000;
/** A delta naming more seats than this is answered with a snapshot: it is smaller. */
const MAX_DELTA_SEATS = 4_000;
/** Behind the feed's pruning horizon (an hour) by this much, a process loads the whole state again instead. */
const RELOAD_AFTER_MS = 20 * 60_000;
/** Documents kept per event (the snapshot of the current version and the deltas clients ask for). */
const DOCS_PER_EVENT = 24;
/** Bodies below this are sent as they are. */
const COMPRESS_FROM_BYTES = 1_024;

type Change = {
  xid: number;
  status: number;
  positions: number[];
  revs: number[];
  heldBy: string | null;
  heldUntil: number | null;
};

/** A document as sent: JSON once, compressed once per encoding asked for. */
export type AvailabilityDoc = {
  kind: 'snapshot' | 'delta';
  version: number;
  etag: string;
  json: string;
  body: Buffer;
  gzip?: Buffer;
  br?: Buffer;
};

type State = {
  eventId: string;
  /** Every change of a transaction below this is applied: where the next read of the feed starts. */
  watermark: number;
  /**
   * The version clients see: the watermark when a change of this event was last applied. Between two changes of the
   * event it stays put, so its documents and their ETags do too, while other events' writes move the watermark.
   */
  version: number;
  /** Changes of transactions from here up to `watermark` are in `recent`: deltas can start anywhere in between. */
  floor: number;
  status: Uint8Array;
  heldUntil: Float64Array;
  rev: Int32Array;
  recent: Change[];
  checkedAt: number;
  refreshing?: Promise<void>;
  docs: LRUCache<string, AvailabilityDoc>;
  /** The snapshot's status text for `version`, valid until the first hold in it ends. */
  text?: { version: number; validUntil: number; text: string; counts: AvailabilitySnapshot['counts'] };
};

const MAX_EVENTS = 64;
const states = processSingleton('availability', () => new LRUCache<string, Promise<State>>({ max: MAX_EVENTS }));
/** The same states once loaded, for a synchronous look (knownSold). */
const settled = processSingleton('availabilitySettled', () => new LRUCache<string, State>({ max: MAX_EVENTS }));
/** When knownSold last asked for a read of an event's feed. */
const asked = processSingleton('availabilityAsked', () => new LRUCache<string, number>({ max: MAX_EVENTS }));
/** How old this process's read of the feed may be for knownSold to answer from it. */
const KNOWN_SOLD_MAX_AGE_MS = 2_000;
const SOLD = SEAT_STATUS_CODE.sold;
const BLOCKED = SEAT_STATUS_CODE.blocked;

const xidOf = (value: string | number | bigint) => Number(value);

async function loadState(db: Database, eventId: string): Promise<State> {
  // One statement, one snapshot: the watermark and the seats agree. A change above the watermark may already be in
  // the seats; the rev of each seat keeps it from being applied twice or out of order when the feed brings it.
  const seatRows = await rows<{
    w: string;
    idx: number | null;
    status: string | null;
    held_until: Date | string | null;
    rev: number | null;
  }>(
    db,
    sql`with w as (select pg_snapshot_xmin(pg_current_snapshot())::text as w)
        select w.w, es.idx, es.status, es.held_until, es.rev
        from w left join event_seats es on es.event_id = ${eventId} order by es.idx`,
  );
  const seats = seatRows.filter((r) => r.idx !== null);
  const n = seats.length;
  const version = xidOf(seatRows[0]?.w ?? 0);
  const state: State = {
    eventId,
    watermark: version,
    version,
    floor: version,
    status: new Uint8Array(n),
    heldUntil: new Float64Array(n),
    rev: new Int32Array(n),
    recent: [],
    checkedAt: Date.now(),
    docs: new LRUCache<string, AvailabilityDoc>({ max: DOCS_PER_EVENT }),
  };
  for (const r of seats) {
    const i = r.idx!;
    state.status[i] = SEAT_STATUS_CODE[r.status as keyof typeof SEAT_STATUS_CODE];
    if (r.held_until) state.heldUntil[i] = new Date(r.held_until).getTime();
    state.rev[i] = r.rev ?? 0;
  }
  return state;
}

function apply(state: State, change: Change): void {
  for (let k = 0; k < change.positions.length; k++) {
    const p = change.positions[k]!;
    const rev = change.revs[k]!;
    if (p < 0 || p >= state.status.length || rev <= state.rev[p]!) continue;
    state.rev[p] = rev;
    state.status[p] = change.status;
    state.heldUntil[p] = change.status === HELD ? (change.heldUntil ?? 0) : 0;
  }
  state.recent.push(change);
}

/** Reads the feed: every change of the transactions that ended since the last read, up to the new watermark. */
async function refresh(db: Database, state: State): Promise<void> {
  state.refreshing ??= (async () => {
    try {
      if (Date.now() - state.checkedAt > RELOAD_AFTER_MS) return reload(db, state);
      const found = await rows<{
        w: string;
        xid: string | null;
        status: number | null;
        seat_idx: number[] | null;
        seat_rev: number[] | null;
        held_by: string | null;
        held_until: Date | string | null;
      }>(
        db,
        sql`with w as (select pg_snapshot_xmin(pg_current_snapshot()) as w)
            select w.w::text as w, c.xid::text as xid, c.status, c.seat_idx, c.seat_rev, c.held_by, c.held_until
            from w left join availability_changes c on c.event_id = ${state.eventId} and c.xid >= ${String(state.watermark)}::xid8 and c.xid < w.w
            order by c.xid`,
      );
      state.checkedAt = Date.now();
      const watermark = xidOf(found[0]?.w ?? state.watermark);
      if (watermark <= state.watermark) return;
      let changed = false;
      for (const c of found) {
        if (c.xid === null) continue;
        changed = true;
        apply(state, {
          xid: xidOf(c.xid),
          status: Number(c.status),
          positions: (c.seat_idx ?? []).map(Number),
          revs: (c.seat_rev ?? []).map(Number),
          heldBy: c.held_by,
          heldUntil: c.held_until ? new Date(c.held_until).getTime() : null,
        });
      }
      state.watermark = watermark;
      if (changed) state.version = watermark;
      if (state.recent.length > RECENT_CHANGES) {
        const dropped = state.recent.splice(0, state.recent.length - RECENT_CHANGES / 2);
        state.floor = Math.max(state.floor, ...dropped.map((c) => c.xid + 1));
      }
    } finally {
      state.refreshing = undefined;
    }
  })();
  return state.refreshing;
}

async function reload(db: Database, state: State): Promise<void> {
  const fresh = await loadState(db, state.eventId);
  Object.assign(state, { ...fresh, text: undefined, refreshing: state.refreshing });
}

/**
 * The event's state, read from the feed when it is older than REFRESH_MS or than `atLeast` (a version a client saw),
 * or, with `fresh`, now (tests that change seats and look at once).
 */
async function currentState(db: Database, eventId: string, atLeast?: number, fresh = false): Promise<State> {
  let pending = states.get(eventId);
  if (!pending) {
    pending = loadState(db, eventId);
    states.set(eventId, pending);
    pending.then(
      (state) => settled.set(eventId, state),
      () => states.delete(eventId),
    );
    return pending;
  }
  const state = await pending;
  const age = Date.now() - state.checkedAt;
  if (fresh || age >= REFRESH_MS || (atLeast !== undefined && atLeast > state.watermark && age >= FORCED_REFRESH_MS)) {
    if (fresh && state.refreshing) await state.refreshing; // a read that began before the caller's change
    await refresh(db, state);
  }
  return state;
}

/**
 * Of `positions` (layout positions of one event), those this process's view of the feed has as sold or blocked, when
 * it read the feed within the last two seconds; undefined when it has no such view, and then it asks for one in the
 * background (not awaited) so that the next request has it. Held seats never count: a hold ends or is released at any
 * moment, while a sold seat comes back only through a refund (and then to the waitlist first) and a blocked one when
 * the organizer releases it, so a view a moment old is right about these. The hold route refuses such seats before
 * authentication (lib/inventory/place-hold.ts refusalBeforeAuth): a sold-out event's crowd is answered from memory.
 */
export function knownSold(
  database: () => Promise<Database>,
  eventId: string,
  positions: readonly number[],
  nowMs: number = Date.now(),
): number[] | undefined {
  const state = settled.get(eventId);
  // At most one read of the feed per event every REFRESH_MS from here, also while it fails (PostgreSQL down): these
  // requests carry no session, and must not turn into a query each.
  if (
    (!state || (nowMs - state.checkedAt >= REFRESH_MS && !state.refreshing)) &&
    !(nowMs - (asked.get(eventId) ?? 0) < REFRESH_MS)
  ) {
    asked.set(eventId, nowMs);
    void database()
      .then((db) => currentState(db, eventId))
      .catch(() => {});
  }
  if (!state || nowMs - state.checkedAt > KNOWN_SOLD_MAX_AGE_MS) return undefined;
  const sold: number[] = [];
  for (const p of positions) {
    const status = state.status[p];
    if (status === SOLD || status === BLOCKED) sold.push(p);
  }
  return sold;
}

function statusText(state: State, now: number): NonNullable<State['text']> {
  if (state.text && state.text.version === state.version && now < state.text.validUntil) return state.text;
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
    counts[STATUS_NAMES[s]!]++;
  }
  state.text = { version: state.version, validUntil, text: bytes.toString('latin1'), counts };
  return state.text;
}

function document(
  state: State,
  key: string,
  kind: AvailabilityDoc['kind'],
  build: () => AvailabilityResponse,
): AvailabilityDoc {
  const cached = state.docs.get(key);
  if (cached) return cached;
  const built = build();
  const json = JSON.stringify(built);
  const doc: AvailabilityDoc = {
    kind,
    version: built.version,
    etag: `"${state.eventId.slice(0, 8)}-${key}"`,
    json,
    body: Buffer.from(json),
  };
  state.docs.set(key, doc);
  return doc;
}

function snapshotDoc(state: State, now: number, pollAfterMs: number): AvailabilityDoc {
  const base = statusText(state, now);
  const key = `s${state.version}.${Number.isFinite(base.validUntil) ? base.validUntil : 0}.${pollAfterMs}`;
  return document(state, key, 'snapshot', () => ({
    kind: 'snapshot',
    eventId: state.eventId,
    version: state.version,
    serverTime: new Date(now).toISOString(),
    statuses: base.text,
    counts: base.counts,
    pollAfterMs,
  }));
}

/** The seats any change since `since` touched, with the status each has now (null: too many, send a snapshot). */
function changedSince(
  state: State,
  since: number,
  now: number,
): { changes: AvailabilityChange[]; validUntil: number } | null {
  const seen = new Set<number>();
  for (let i = state.recent.length - 1; i >= 0; i--) {
    const change = state.recent[i]!;
    if (change.xid < since) continue;
    for (const p of change.positions) seen.add(p);
    if (seen.size > MAX_DELTA_SEATS) return null;
  }
  const groups = new Map<string, AvailabilityChange>();
  let validUntil = Number.POSITIVE_INFINITY;
  for (const p of [...seen].sort((a, b) => a - b)) {
    let status = state.status[p]!;
    const until = status === HELD ? state.heldUntil[p]! : 0;
    if (status === HELD && until <= now) status = AVAILABLE;
    if (status === HELD && until < validUntil) validUntil = until;
    const key = status === HELD ? `1:${until}` : String(status);
    let group = groups.get(key);
    if (!group) {
      group = {
        version: state.version,
        status: STATUS_NAMES[status]!,
        positions: [],
        ...(status === HELD ? { expiresAt: new Date(until).toISOString() } : {}),
      };
      groups.set(key, group);
    }
    group.positions.push(p);
  }
  return { changes: [...groups.values()], validUntil };
}

export type AvailabilityQuery = {
  since?: number;
  now?: Date;
  /** Read the feed first, however recently it was read. */ fresh?: boolean;
};

/**
 * The availability of an event as a document: a snapshot, or with `since` the seats that changed after that version
 * with their status now (a snapshot again when `since` is older than what this process keeps). Seats of holds whose
 * time passed read as available.
 */
export async function availabilityDocument(
  db: Database,
  eventId: string,
  query: AvailabilityQuery = {},
): Promise<AvailabilityDoc> {
  const rules = await getSaleRules(db, eventId); // NOT_FOUND for unknown events and drafts
  const state = await currentState(db, eventId, query.since, query.fresh);
  const now = (query.now ?? new Date()).getTime();
  const selling = rules.status === 'published' && rules.onSaleAt.getTime() <= now && now < rules.startsAt.getTime();
  const pollAfterMs = selling ? 5_000 : 30_000;
  const since = query.since;
  // A client ahead of us (it saw a later read on another instance) gets a snapshot it will ignore, as older.
  if (since === undefined || since > state.watermark || since < state.floor)
    return snapshotDoc(state, now, pollAfterMs);
  const delta =
    since >= state.version ? { changes: [], validUntil: Number.POSITIVE_INFINITY } : changedSince(state, since, now);
  if (!delta) return snapshotDoc(state, now, pollAfterMs);
  if (delta.changes.length === 0) {
    const version = Math.max(since, state.version);
    return document(state, `e${since}.${pollAfterMs}`, 'delta', () => ({
      kind: 'delta',
      eventId,
      from: since,
      version,
      serverTime: new Date(now).toISOString(),
      changes: [],
      pollAfterMs,
    }));
  }
  return document(
    state,
    `d${since}-${state.version}.${Number.isFinite(delta.validUntil) ? delta.validUntil : 0}.${pollAfterMs}`,
    'delta',
    () => ({
      kind: 'delta',
      eventId,
      from: since,
      version: state.version,
      serverTime: new Date(now).toISOString(),
      changes: delta.changes,
      pollAfterMs,
    }),
  );
}

/**
 * The body in the smallest encoding the client accepts, each made once per document (gzip at its highest level: a
 * seat map's statuses compress better with it than with brotli short of its slowest level, and the cost is paid once
 * per version, not per request).
 */
export function encodedBody(
  doc: AvailabilityDoc,
  acceptEncoding: string | null,
): { body: Buffer; encoding?: 'br' | 'gzip' } {
  if (doc.body.length < COMPRESS_FROM_BYTES || !acceptEncoding) return { body: doc.body };
  const gzip = /\bgzip\b/.test(acceptEncoding);
  const br = /\bbr\b/.test(acceptEncoding);
  if (gzip) doc.gzip ??= gzipSync(doc.body, { level: 9 });
  if (br)
    doc.br ??= brotliCompressSync(doc.body, {
      params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: doc.body.length },
    });
  if (doc.br && br && (!gzip || doc.br.length < doc.gzip!.length)) return { body: doc.br, encoding: 'br' };
  if (doc.gzip && gzip) return { body: doc.gzip, encoding: 'gzip' };
  return { body: doc.body };
}

/** The same as a parsed object (the SSE stream and tests). */
export async function getAvailability(
  db: Database,
  eventId: string,
  query: AvailabilityQuery = {},
): Promise<AvailabilityResponse> {
  return JSON.parse((await availabilityDocument(db, eventId, query)).json) as AvailabilityResponse;
}

/** The version this process knows for the event, read from the feed when stale (for the SSE hub). */
export async function currentVersion(db: Database, eventId: string): Promise<number> {
  return (await currentState(db, eventId)).version;
}

/** Tests: forget what this process cached. */
export function forgetAvailability(): void {
  states.clear();
  settled.clear();
  asked.clear();
}
