'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { HoldResponse, LayoutDocument } from '@/lib/contracts/inventory';
import { ApiError, requestJson } from './api';
import { CODE, STATUS_OF_CODE, withStatus, type AvailabilityState } from './availability';
import { availabilityKey } from './use-seat-data';

/** A hold as the page keeps it: the server's answer plus this browser's clock when it arrived. */
export type ActiveHold = HoldResponse & { receivedAt: number; positions: number[] };

type HoldContext = { before: Map<number, number> };

export type HoldCallbacks = {
  onHeld: (hold: ActiveHold) => void;
  onFailed: (error: ApiError, positions: number[], lost: number[]) => void;
};

/**
 * POST /api/events/{id}/holds as an optimistic mutation: the seats turn "yours" in the availability cache at once;
 * on failure they go back, and seats the server says are gone (409 unavailableSeatIds) are shown as held by
 * someone else until the live feed says more.
 */
export function useHoldSeats(eventId: string, layout: LayoutDocument | undefined, callbacks: HoldCallbacks) {
  const queryClient = useQueryClient();
  const key = availabilityKey(eventId);
  return useMutation<ActiveHold, ApiError, number[], HoldContext>({
    mutationKey: ['events', eventId, 'hold'],
    mutationFn: async (positions) => {
      if (!layout) throw new ApiError(0, { detail: 'The seat map is still loading.' });
      const seatIds = positions.map((p) => layout.seats.id[p]!);
      const hold = await requestJson<HoldResponse>(`/api/events/${eventId}/holds`, {
        method: 'POST',
        body: JSON.stringify({ seatIds }),
      });
      const byId = new Map(positions.map((p) => [layout.seats.id[p]!, p]));
      return {
        ...hold,
        receivedAt: Date.now(),
        positions: hold.seatIds.map((id) => byId.get(id)).filter((p): p is number => p !== undefined),
      };
    },
    onMutate: async (positions) => {
      await queryClient.cancelQueries({ queryKey: key });
      const state = queryClient.getQueryData<AvailabilityState>(key);
      const before = new Map(positions.map((p) => [p, state?.codes[p] ?? CODE.available]));
      if (state) queryClient.setQueryData(key, withStatus(state, positions, 'yours'));
      return { before };
    },
    onSuccess: (hold) => {
      const state = queryClient.getQueryData<AvailabilityState>(key);
      if (state) queryClient.setQueryData(key, withStatus(state, hold.positions, 'yours'));
      callbacks.onHeld(hold);
    },
    onError: (error, positions, context) => {
      const lostIds = new Set(
        error.code === 'SEATS_UNAVAILABLE' && Array.isArray(error.problem.unavailableSeatIds)
          ? (error.problem.unavailableSeatIds as number[])
          : [],
      );
      const lost = layout ? positions.filter((p) => lostIds.has(layout.seats.id[p]!)) : [];
      let state = queryClient.getQueryData<AvailabilityState>(key);
      if (state && context) {
        // Put back what the optimistic update changed, unless the live feed has said something newer since.
        for (const [p, code] of context.before) {
          if (state.codes[p] === CODE.yours) state = withStatus(state, [p], STATUS_OF_CODE[code]!);
        }
        if (lost.length) state = withStatus(state, lost, 'held');
        queryClient.setQueryData(key, state);
      }
      callbacks.onFailed(error, positions, lost);
    },
  });
}

/** DELETE /api/holds/{id}: the seats show as available at once; a hold that already ended counts as released. */
export function useReleaseHold(
  eventId: string,
  callbacks: { onReleased: (hold: ActiveHold) => void; onFailed: (error: ApiError, hold: ActiveHold) => void },
) {
  const queryClient = useQueryClient();
  const key = availabilityKey(eventId);
  return useMutation<void, ApiError, ActiveHold, { state: AvailabilityState | undefined }>({
    mutationKey: ['events', eventId, 'release'],
    mutationFn: async (hold) => {
      try {
        await requestJson<unknown>(`/api/holds/${hold.id}`, { method: 'DELETE' });
      } catch (error) {
        if (error instanceof ApiError && (error.status === 404 || error.code === 'HOLD_NOT_ACTIVE')) return;
        throw error;
      }
    },
    onMutate: async (hold) => {
      await queryClient.cancelQueries({ queryKey: key });
      const state = queryClient.getQueryData<AvailabilityState>(key);
      if (state) queryClient.setQueryData(key, withStatus(state, hold.positions, 'available'));
      return { state };
    },
    onSuccess: (_, hold) => callbacks.onReleased(hold),
    onError: (error, hold, context) => {
      if (context?.state)
        queryClient.setQueryData(
          key,
          withStatus(queryClient.getQueryData<AvailabilityState>(key) ?? context.state, hold.positions, 'yours'),
        );
      callbacks.onFailed(error, hold);
    },
  });
}

/**
 * Leaving the page releases the hold, best effort: a beacon to POST /api/holds/{id}/release survives the page
 * being torn down (a beacon can only POST); where beacons are missing, a keepalive DELETE does the same. Not when
 * the buyer is on the way to checkout with the hold.
 */
export function useReleaseOnLeave(hold: ActiveHold | null, keep: { current: boolean }) {
  const current = useRef(hold);
  useEffect(() => {
    current.current = hold;
  }, [hold]);
  useEffect(() => {
    const release = () => {
      const live = current.current;
      if (!live || keep.current) return;
      current.current = null;
      const sent = typeof navigator.sendBeacon === 'function' && navigator.sendBeacon(`/api/holds/${live.id}/release`);
      if (!sent)
        void fetch(`/api/holds/${live.id}`, { method: 'DELETE', keepalive: true, credentials: 'same-origin' }).catch(
          () => {},
        );
    };
    window.addEventListener('pagehide', release);
    return () => {
      window.removeEventListener('pagehide', release);
      // Leaving through a client-side navigation unmounts the page without a pagehide.
      release();
    };
  }, [keep]);
}
