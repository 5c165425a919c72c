import 'server-only';
import type { QueueStatus } from '@/lib/contracts/queue';
import type { QueueReport } from './store/port';
import { seatsLeft } from './availability';
import { publicDraws } from './draws';
import { publicPresaleDraws } from './presale-draws';
import { admissionRate, estimateWait, pollAfter, sellOutRisk } from './estimate';
import { DRAW_ALGORITHM } from './fairness';
import { prequeueOpensAt } from './policy';
import type { QueueContext } from './context';

type Place =
  | { kind: 'report'; report: QueueReport }
  /** Admitted on the strength of the token alone (the coordinator was unreachable or lost the entry). */
  | { kind: 'token'; untilMs: number; report?: QueueReport }
  | { kind: 'none'; report?: QueueReport };

/** The status document for the queue page and API, from the coordinator's report and cached event data. */
export async function describeStatus(ctx: QueueContext, place: Place): Promise<QueueStatus> {
  const { event, now, phase } = ctx;
  const [seats, draw] = await Promise.all([
    seatsLeft.get(ctx.deps.db, event.id, now.getTime()),
    // A presale's line has its own published draw; the event's draw is not this line's.
    ctx.presale
      ? publicPresaleDraws.get(ctx.deps.db, ctx.presale.id, now.getTime())
      : publicDraws.get(ctx.deps.db, event.id, now.getTime()),
  ]);
  const report = place.report;
  const entry =
    place.kind === 'report'
      ? place.report.entry
      : place.kind === 'token'
        ? ({ state: 'admitted', untilMs: place.untilMs } as const)
        : ({ state: 'none' } as const);

  const state: QueueStatus['state'] =
    phase === 'closed' ? 'closed' : entry.state === 'none' && phase === 'not-open' ? 'not-open' : entry.state;
  const position = state === 'waiting' && entry.state === 'waiting' ? entry.position : null;
  const rate = report ? admissionRate(event, report.recent, now.getTime()) : null;
  const eta =
    position !== null && rate && report
      ? estimateWait(position, {
          free: event.queueCapacity - report.active,
          configuredPerMinute: event.admissionRatePerMinute,
          rate,
        })
      : null;

  // Ahead of a waiting visitor: the line before them. In the pre-queue: on average half of the other entrants.
  const ahead = position !== null ? position - 1 : null;
  const expectedAhead = ahead ?? (state === 'prequeue' && report ? Math.max(0, report.prequeue - 1) / 2 : null);
  const wantedAhead = expectedAhead === null ? null : Math.round(expectedAhead * seats.seatsPerBuyer);
  const risk = sellOutRisk(seats.left, wantedAhead);

  const status: QueueStatus = {
    eventId: event.id,
    state,
    serverTime: now.toISOString(),
    onSaleAt: event.onSaleAt.toISOString(),
    opensAt: prequeueOpensAt(event).toISOString(),
    pollAfterMs: 0,
    entryId: ctx.visitor,
    position,
    ahead,
    ticket: entry.state === 'waiting' || entry.state === 'prequeue' ? entry.ticket : null,
    waiting: report?.waiting ?? 0,
    prequeue: report?.prequeue ?? 0,
    active: report?.active ?? 0,
    capacity: event.queueCapacity,
    shoppingWindowMinutes: event.shoppingWindowMinutes,
    eta,
    admission:
      state === 'admitted' && entry.state === 'admitted'
        ? { until: new Date(entry.untilMs).toISOString(), redirectTo: `/events/${event.id}/seats` }
        : null,
    fairness: draw
      ? {
          commitment: draw.commitment,
          committedAt: draw.committedAt.toISOString(),
          seed: draw.seed,
          drawnAt: draw.drawnAt?.toISOString() ?? null,
          entrantCount: draw.entrantCount,
          algorithm: DRAW_ALGORITHM,
          drawUrl: `/api/events/${event.id}/queue/draw${ctx.presale ? `?presale=${ctx.presale.id}` : ''}`,
          line: ctx.presale ? 'presale' : 'event',
        }
      : null,
    seats: {
      currency: event.currency,
      tiers: seats.tiers.map(({ name, priceMinor, color, left, total }) => ({ name, priceMinor, color, left, total })),
      left: seats.left,
      seatsPerBuyer: seats.seatsPerBuyer,
      seatsPerBuyerMeasured: seats.seatsPerBuyerMeasured,
      wantedAhead,
      // In the pre-queue nobody knows their place yet: at most "possible".
      sellOut: state === 'prequeue' && risk === 'likely' ? 'possible' : risk,
    },
  };
  status.pollAfterMs = pollAfter(status, {
    onSale: event.onSaleAt.getTime() - now.getTime(),
    opens: prequeueOpensAt(event).getTime() - now.getTime(),
    admissionRatePerMinute: event.admissionRatePerMinute,
  });
  return status;
}
