import 'server-only';
import type { Viewer } from '@/lib/auth/viewer';
import type { CounterHoldRequest } from '@/lib/contracts/counter';
import type { HoldResponse } from '@/lib/contracts/inventory';
import { placeHold, type HoldLimits, type InventoryDeps } from '@/lib/inventory';

/**
 * The counter's own account limits: one staff account sells a whole evening's orders, and lets holds go when a buyer
 * at the counter changes their mind, so the buyers' per-account limit and abandoned-holds budget would stop it after
 * a few sales. Each order is still at most the event's per-order limit.
 */
export const COUNTER_LIMITS: Required<HoldLimits> = {
  perAccountLimit: 1_000_000,
  abandon: { limit: 1_000_000, windowMs: 60_000 },
};

/**
 * POST /api/counter/holds: seats held in the staff member's name through the same filter and the same hold_seats()
 * statement as a buyer's hold, so a seat an online buyer holds is refused here, and a seat held here is refused to
 * them: the hold is the guard in both directions. No waiting room (the staff member is not shopping).
 */
export async function holdAtCounter(
  deps: InventoryDeps,
  staff: Pick<Viewer, 'id'>,
  input: CounterHoldRequest,
): Promise<HoldResponse> {
  return placeHold(
    deps,
    { eventId: input.eventId, userId: staff.id, seatIds: input.seatIds },
    { limits: COUNTER_LIMITS },
  );
}
