/**
 * Hold requests for one event and one server (the app or the reference), with the bookkeeping that lets the
 * benchmark check itself: every granted seat is remembered (a seat granted twice would be an oversell), conflicts on
 * cold seats are counted (the picker never repeats one, so there should be none), each buyer stays under the
 * event's per-account seat cap and, for the app, under its hold rate limit.
 */
import type { RateLimitName } from '@/lib/ratelimit/policies';
import { BuyerPicker, type Buyer } from './accounts';
import { requestBytes, type Answer, type Prepared, type Target } from './lean-http';
import { pickAny, type Random, type SeatPicker } from './seats';

export type HoldTag = { buyer: Buyer; seatIds: number[]; hot: boolean };

export type HoldChecks = {
  granted: number;
  grantedSeats: number;
  repeatGrants: number;
  coldConflicts: number;
  hotConflicts: number;
  /** Answers that carried a refreshed better-auth cookie (the app asked better-auth: the warm-up did not take). */
  sessionRefreshes: number;
  statusesHotCold: Record<string, number>;
};

export const newChecks = (): HoldChecks => ({
  granted: 0,
  grantedSeats: 0,
  repeatGrants: 0,
  coldConflicts: 0,
  hotConflicts: 0,
  sessionRefreshes: 0,
  statusesHotCold: {},
});

export class HoldLoad {
  private readonly held: Uint16Array;
  private readonly grantedSeats = new Set<number>();
  /** Checks of the measured window only (reset per phase with `reset()`). */
  checks = newChecks();
  /** Seats granted a second time over the whole run, warm-ups included (an oversell, or a picker that repeats). */
  repeatGrantsTotal = 0;

  constructor(
    private readonly target: Target,
    readonly eventId: string,
    private readonly buyers: BuyerPicker,
    private readonly policy: RateLimitName | null,
    private readonly seats: { picker: SeatPicker } | { soldOut: number[]; random: Random },
    private readonly perAccountLimit: number,
  ) {
    this.held = new Uint16Array(buyers.buyers.length);
  }

  reset(): HoldChecks {
    const done = this.checks;
    this.checks = newChecks();
    return done;
  }

  next = (): Prepared<HoldTag> => {
    const { seatIds, hot } =
      'picker' in this.seats
        ? this.seats.picker.next()
        : { seatIds: pickAny(this.seats.soldOut, this.seats.random), hot: false };
    const cap = this.perAccountLimit - 1;
    const buyer = this.buyers.next(this.policy, (b) => this.held[b.index]! + seatIds.length <= cap);
    this.held[buyer.index] = this.held[buyer.index]! + seatIds.length;
    const headers = buyer.headers.get(this.eventId);
    if (!headers) throw new Error(`buyer ${buyer.index} has no admission to ${this.eventId}`);
    return {
      bytes: requestBytes(
        this.target,
        'POST',
        `/api/events/${this.eventId}/holds`,
        headers,
        JSON.stringify({ seatIds }),
      ),
      tag: { buyer, seatIds, hot },
    };
  };

  onAnswer = (tag: HoldTag | undefined, answer: Answer | null, measured: boolean): void => {
    if (!tag) return;
    const status = answer?.status ?? 0;
    if (answer?.setCookie?.some((c) => c.includes('better-auth.session'))) this.checks.sessionRefreshes++;
    if (status !== 201) this.held[tag.buyer.index] = this.held[tag.buyer.index]! - tag.seatIds.length;
    if (status === 201) {
      for (const seat of tag.seatIds) {
        if (this.grantedSeats.has(seat)) {
          this.checks.repeatGrants++;
          this.repeatGrantsTotal++;
        }
        this.grantedSeats.add(seat);
      }
    }
    if (!measured) return;
    const c = this.checks;
    const key = `${tag.hot ? 'hot' : 'cold'}:${status}`;
    c.statusesHotCold[key] = (c.statusesHotCold[key] ?? 0) + 1;
    if (status === 201) {
      c.granted++;
      c.grantedSeats += tag.seatIds.length;
    } else if (status === 409) {
      if (tag.hot) c.hotConflicts++;
      else c.coldConflicts++;
    }
  };
}
