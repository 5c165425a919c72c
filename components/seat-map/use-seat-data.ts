'use client';

import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type {
  AvailabilityDelta,
  AvailabilityResponse,
  AvailabilitySnapshot,
  AvailabilityStatus,
  LayoutDocument,
} from '@/lib/contracts/inventory';
import { requestJson } from './api';
import {
  fromSnapshot,
  inLayoutPositions,
  mergeAvailability,
  withStatus,
  type AvailabilityState,
  type SeatChange,
} from './availability';

/**
 * Which layout a page shows: the public one (the same for everyone, cached by the browser for a day), or with the
 * hidden tiers the viewer may see (their presale code's, or every tier for staff), fetched from /layout/unlocked.
 */
export type LayoutScope = 'public' | 'unlocked';

export const layoutKey = (eventId: string, scope: LayoutScope = 'public') =>
  ['events', eventId, 'layout', scope] as const;
export const availabilityKey = (eventId: string) => ['events', eventId, 'availability'] as const;

/**
 * A correction made in this page to the cached availability: those of `positions` whose code is `from` now read `to`
 * (the server's document is the same for everyone and says nothing of whose a hold is, or that it has just ended).
 */
export function recodeCached(
  queryClient: QueryClient,
  eventId: string,
  positions: number[],
  from: number,
  to: AvailabilityStatus,
): void {
  const state = queryClient.getQueryData<AvailabilityState>(availabilityKey(eventId));
  if (!state) return;
  const changing = positions.filter((p) => state.codes[p] === from);
  queryClient.setQueryData(availabilityKey(eventId), withStatus(state, changing, to));
}

const layoutQuery = (eventId: string, scope: LayoutScope) => ({
  queryKey: layoutKey(eventId, scope),
  queryFn: () => requestJson<LayoutDocument>(`/api/events/${eventId}/layout${scope === 'unlocked' ? '/unlocked' : ''}`),
  staleTime: Infinity,
  gcTime: Infinity,
  retry: 2,
});

/** The immutable layout: fetched once, never refetched (the server sends long cache headers too). */
export function useLayout(eventId: string, scope: LayoutScope = 'public') {
  return useQuery(layoutQuery(eventId, scope));
}

export type AvailabilityOptions = {
  /** The layout the page shows (useLayout's scope): the feed's positions are read in its positions. */
  layoutScope?: LayoutScope;
  /** Seats of the buyer's own hold or hold request: a "held" change on them reads as "yours". */
  mine: ReadonlySet<number>;
  /** Told about every seat whose status changed through the stream or a poll. */
  onChanges: (changes: SeatChange[]) => void;
};

const FALLBACK_POLL_MS = 5_000;

/**
 * Live availability: a snapshot first, then the Server-Sent Events stream; while the stream is not open, polling
 * with `?since=<version>` at the interval the server suggests (5 s during an on-sale, 30 s otherwise). Both paths
 * merge into the same query cache entry, so optimistic updates from mutations and live changes meet in one place.
 */
export function useAvailability(eventId: string, options: AvailabilityOptions) {
  const queryClient = useQueryClient();
  const [streamOpen, setStreamOpen] = useState(false);
  const opts = useRef(options);
  useEffect(() => {
    opts.current = options;
  });

  const query = useQuery({
    queryKey: availabilityKey(eventId),
    // Fetched alongside the layout, not after it: the status string carries its own length.
    queryFn: async () => {
      const cache = () => queryClient.getQueryData<AvailabilityState>(availabilityKey(eventId));
      // The layout's request is already on its way (useLayout): this waits for it, it does not ask again.
      const layout = () => queryClient.ensureQueryData(layoutQuery(eventId, opts.current.layoutScope ?? 'public'));
      const { state, changes } = await pollAvailability(eventId, cache, layout, opts.current.mine);
      if (changes.length) opts.current.onChanges(changes);
      return state;
    },
    // Polling only while the stream is down; the stream keeps the cache current otherwise.
    refetchInterval: (q) => (streamOpen ? false : (q.state.data?.pollAfterMs ?? FALLBACK_POLL_MS)),
    refetchOnWindowFocus: !streamOpen,
    staleTime: 1_000,
    retry: 1,
  });

  const ready = query.data !== undefined;
  useEffect(() => {
    if (!ready || typeof EventSource === 'undefined') return;
    const since = queryClient.getQueryData<AvailabilityState>(availabilityKey(eventId))?.version ?? 0;
    const source = new EventSource(`/api/events/${eventId}/availability/stream?since=${since}`);
    const apply = (response: AvailabilityResponse) => applyToCache(queryClient, eventId, response, opts.current);
    const onMessage = (event: MessageEvent<string>) => {
      try {
        apply(JSON.parse(event.data) as AvailabilitySnapshot | AvailabilityDelta);
      } catch {
        // A malformed message is dropped; the next poll or snapshot repairs the state.
      }
    };
    source.addEventListener('snapshot', onMessage);
    source.addEventListener('delta', onMessage);
    source.addEventListener('open', () => setStreamOpen(true));
    source.addEventListener('error', () => setStreamOpen(source.readyState === EventSource.OPEN));
    return () => {
      source.close();
      setStreamOpen(false);
    };
  }, [ready, eventId, queryClient]);

  return { ...query, streamOpen };
}

/**
 * One poll: a snapshot the first time, then the changes since the cached version. The answer is merged into what
 * the cache holds when it arrives (the stream or an optimistic update may have moved it on meanwhile), and merging
 * skips anything already there.
 */
async function pollAvailability(
  eventId: string,
  cache: () => AvailabilityState | undefined,
  layoutOf: () => Promise<LayoutDocument>,
  mine: ReadonlySet<number>,
) {
  const base = `/api/events/${eventId}/availability`;
  const before = cache();
  const [layout, answer] = await Promise.all([
    layoutOf(),
    requestJson<AvailabilityResponse>(before ? `${base}?since=${before.version}` : base),
  ]);
  const response = inLayoutPositions(answer, layout);
  const latest = cache();
  if (!latest) {
    if (response.kind !== 'snapshot') throw new Error('expected a snapshot');
    const merged = mergeAvailability(fromSnapshot(response, response.statuses.length), response, mine);
    return { state: merged.state, changes: [] as SeatChange[] };
  }
  const merged = mergeAvailability(latest, response, mine);
  if (!merged.gap) return merged;
  return mergeAvailability(latest, inLayoutPositions(await requestJson<AvailabilityResponse>(base), layout), mine);
}

function applyToCache(
  queryClient: QueryClient,
  eventId: string,
  response: AvailabilityResponse,
  options: AvailabilityOptions,
) {
  const key = availabilityKey(eventId);
  const previous = queryClient.getQueryData<AvailabilityState>(key);
  const layout = queryClient.getQueryData<LayoutDocument>(layoutKey(eventId, options.layoutScope ?? 'public'));
  if (!previous || !layout) return;
  const merged = mergeAvailability(previous, inLayoutPositions(response, layout), options.mine);
  if (merged.gap) {
    void queryClient.invalidateQueries({ queryKey: key });
    return;
  }
  queryClient.setQueryData(key, merged.state);
  if (merged.changes.length) options.onChanges(merged.changes);
}
