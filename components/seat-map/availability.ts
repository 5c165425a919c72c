import {
  AVAILABILITY_CODE,
  AVAILABILITY_STATUS_BY_CODE,
  type AvailabilityResponse,
  type AvailabilityStatus,
  type AvailabilitySnapshot,
  type LayoutDocument,
} from '@/lib/contracts/inventory';

/** Status of a seat as a small number, one per layout position (the digit of AVAILABILITY_CODE). */
export const CODE = { available: 0, held: 1, sold: 2, blocked: 3, yours: 4 } as const satisfies Record<
  AvailabilityStatus,
  number
>;
export const STATUS_OF_CODE: AvailabilityStatus[] = ['available', 'held', 'sold', 'blocked', 'yours'];

/**
 * The availability the browser keeps: a copy-on-write array of codes (so React sees a new value after each
 * change) and the version it reflects.
 */
export type AvailabilityState = {
  codes: Uint8Array;
  version: number;
  serverTime: string;
  pollAfterMs: number;
};

/** A seat whose status changed, as seen by the merge. */
export type SeatChange = { position: number; from: AvailabilityStatus; to: AvailabilityStatus };

export function codesFromString(statuses: string, count: number): Uint8Array {
  const codes = new Uint8Array(count);
  for (let p = 0; p < count && p < statuses.length; p++) {
    const status = AVAILABILITY_STATUS_BY_CODE[statuses[p]!];
    codes[p] = status ? CODE[status] : CODE.blocked;
  }
  return codes;
}

const layoutIndexes = new WeakMap<readonly number[], Map<number, number>>();

/**
 * The availability in the layout's own positions. The feed counts every seat of the event; a layout that leaves
 * seats out (the public layout of an event with hidden tiers) says where each of its seats is in the feed
 * (`seats.position`), and the seats it leaves out are dropped here. A layout of every seat passes the answer through.
 */
export function inLayoutPositions<R extends AvailabilityResponse>(response: R, layout: LayoutDocument): R;
export function inLayoutPositions(response: AvailabilityResponse, layout: LayoutDocument): AvailabilityResponse {
  const positions = layout.seats.position;
  if (!positions) return response;
  if (response.kind === 'snapshot') {
    let statuses = '';
    for (const p of positions) statuses += response.statuses[p] ?? AVAILABILITY_CODE.blocked;
    return { ...response, statuses };
  }
  let index = layoutIndexes.get(positions);
  if (!index) {
    index = new Map(positions.map((p, i) => [p, i]));
    layoutIndexes.set(positions, index);
  }
  const known = index;
  return {
    ...response,
    changes: response.changes.map((c) => ({
      ...c,
      positions: c.positions.flatMap((p) => {
        const i = known.get(p);
        return i === undefined ? [] : [i];
      }),
    })),
  };
}

export function codesToString(codes: Uint8Array): string {
  let out = '';
  for (const c of codes) out += AVAILABILITY_CODE[STATUS_OF_CODE[c] ?? 'blocked'];
  return out;
}

export const fromSnapshot = (snapshot: AvailabilitySnapshot, count: number): AvailabilityState => ({
  codes: codesFromString(snapshot.statuses, count),
  version: snapshot.version,
  serverTime: snapshot.serverTime,
  pollAfterMs: snapshot.pollAfterMs,
});

/**
 * Applies a snapshot or a delta. Changes at or below the current version are skipped (a stream and a poll may both
 * deliver them). A delta that starts after the current version means something was missed: the answer is
 * `gap: true` and the state unchanged, so the caller fetches a snapshot. A "held" change on a seat of the
 * buyer's own hold (`mine`) stays "yours": the shared feed cannot know who is reading it.
 */
export function mergeAvailability(
  state: AvailabilityState,
  response: AvailabilityResponse,
  mine: ReadonlySet<number> = new Set(),
): { state: AvailabilityState; changes: SeatChange[]; gap: boolean } {
  const count = state.codes.length;
  if (response.kind === 'snapshot') {
    if (response.version < state.version) return { state, changes: [], gap: false };
    const codes = codesFromString(response.statuses, count);
    for (const p of mine) if (codes[p] === CODE.held) codes[p] = CODE.yours;
    const changes: SeatChange[] = [];
    for (let p = 0; p < count; p++)
      if (codes[p] !== state.codes[p])
        changes.push({ position: p, from: STATUS_OF_CODE[state.codes[p]!]!, to: STATUS_OF_CODE[codes[p]!]! });
    return {
      state: { codes, version: response.version, serverTime: response.serverTime, pollAfterMs: response.pollAfterMs },
      changes,
      gap: false,
    };
  }
  if (response.from > state.version) return { state, changes: [], gap: true };
  const fresh = response.changes.filter((c) => c.version > state.version);
  const next = {
    ...state,
    serverTime: response.serverTime,
    pollAfterMs: response.pollAfterMs,
    version: Math.max(state.version, response.version),
  };
  if (!fresh.length) return { state: next, changes: [], gap: false };
  const codes = new Uint8Array(state.codes);
  const changes: SeatChange[] = [];
  for (const change of fresh) {
    for (const p of change.positions) {
      if (p < 0 || p >= count) continue;
      const to = change.status === 'held' && mine.has(p) ? CODE.yours : CODE[change.status];
      if (codes[p] !== to) changes.push({ position: p, from: STATUS_OF_CODE[codes[p]!]!, to: STATUS_OF_CODE[to]! });
      codes[p] = to;
    }
  }
  return { state: { ...next, codes }, changes, gap: false };
}

/** Sets some positions to one status (optimistic updates and local corrections), copy on write. */
export function withStatus(
  state: AvailabilityState,
  positions: Iterable<number>,
  status: AvailabilityStatus,
): AvailabilityState {
  const codes = new Uint8Array(state.codes);
  for (const p of positions) if (p >= 0 && p < codes.length) codes[p] = CODE[status];
  return { ...state, codes };
}

export function countByStatus(codes: Uint8Array): Record<AvailabilityStatus, number> {
  const counts = { available: 0, held: 0, sold: 0, blocked: 0, yours: 0 };
  for (const c of codes) counts[STATUS_OF_CODE[c] ?? 'blocked']++;
  return counts;
}
