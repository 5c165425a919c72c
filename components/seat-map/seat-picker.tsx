'use client';

import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { HoldCountdown } from '@/components/hold-countdown/hold-countdown';
import { Button, buttonClass } from '@/components/ui/button';
import type { HoldResponse, LayoutDocument } from '@/lib/contracts/inventory';
import { countOf, formatMoney } from '@/lib/format';
import { CODE, type SeatChange } from './availability';
import { BestAvailableForm } from './best-available-form';
import { describeSeat, listSeats, seatName, seatPrice } from './labels';
import { SeatLegend } from './legend';
import { SeatList } from './seat-list';
import { SeatMap, type SeatMapHandle } from './seat-map';
import { forgetSavedSelection, peekSavedSelection, saveSelection, ShoppingWindow } from './shopping-window';
import { useHoldSeats, useReleaseHold, useReleaseOnLeave, type ActiveHold } from './use-hold';
import { recodeCached, useAvailability, useLayout, type LayoutScope } from './use-seat-data';

export type SeatPickerProps = {
  eventId: string;
  venueName: string;
  perOrderLimit: number;
  holdMinutes: number;
  /** False before the on-sale or after the start: the map is shown read-only. */
  onSale: boolean;
  locale: string;
  /** The buyer's hold on this event made on another page or device, still running: resumed here. */
  activeHold?: HoldResponse | null;
  /** The end of this visit's shopping window (the waiting room's admission), with the server's time at render. */
  shoppingWindow?: { endsAt: string; serverTime: string } | null;
  /** 'unlocked' when the admission's presale codes unlock hidden tiers: the map then shows their seats too. */
  layoutScope?: LayoutScope;
};

type Notice = { tone: 'error' | 'info' | 'success'; text: string } | null;

const EPOCH = new Date(0).toISOString();

/**
 * The buyer's seat page: pick seats on the map or in the list (or ask for the best available), hold them with one
 * request, watch the countdown, release them or continue to checkout.
 *
 * Selecting is local and instant; "Hold N seats" then asks the server for all of them at once, so the buyer ends
 * up with exactly one hold (which is what checkout takes) and never with a half-made party.
 */
export function SeatPicker({
  eventId,
  venueName,
  perOrderLimit,
  holdMinutes,
  onSale,
  locale,
  activeHold,
  shoppingWindow,
  layoutScope = 'public',
}: SeatPickerProps) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const layoutQuery = useLayout(eventId, layoutScope);
  const layout = layoutQuery.data;
  const mapRef = useRef<SeatMapHandle>(null);
  const [selected, setSelected] = useState<ReadonlySet<number>>(() => new Set());
  const [hold, setHold] = useState<ActiveHold | null>(null);
  const [pending, setPending] = useState<ReadonlySet<number>>(() => new Set());
  const [notice, setNotice] = useState<Notice>(null);
  const [announcement, setAnnouncement] = useState('');
  const [view, setView] = useState<'map' | 'list'>('map');
  const [listSection, setListSection] = useState(0);
  const toCheckout = useRef(false);
  const [windowEnded, setWindowEnded] = useState(false);
  const [windowReceivedAt] = useState(() => Date.now());
  const heldRef = useRef<HTMLElement>(null);
  const focusHeld = useRef(false);

  const mine = useMemo(() => new Set([...(hold?.positions ?? []), ...pending]), [hold, pending]);
  const selectedRef = useRef(selected);
  useEffect(() => {
    selectedRef.current = selected;
  }, [selected]);

  const onChanges = useCallback(
    (changes: SeatChange[]) => {
      if (!layout) return;
      const taken = changes
        .filter(
          (c) =>
            (c.to === 'held' || c.to === 'sold' || c.to === 'blocked') &&
            selectedRef.current.has(c.position) &&
            !pending.has(c.position),
        )
        .map((c) => c.position);
      if (taken.length) {
        setSelected((s) => new Set([...s].filter((p) => !taken.includes(p))));
        const text = `${listSeats(layout, taken)} ${taken.length === 1 ? 'was' : 'were'} just taken by another buyer and ${taken.length === 1 ? 'has' : 'have'} been removed from your selection.`;
        setNotice({ tone: 'error', text });
      }
    },
    [layout, pending],
  );

  const availability = useAvailability(eventId, { mine, onChanges, layoutScope });
  const codes = availability.data?.codes;

  // A hold made on another page or device resumes here once the layout says where its seats are. The availability
  // document is the same for everyone, so the page itself marks the hold's seats as the buyer's.
  const resumed = useRef(false);
  useEffect(() => {
    if (resumed.current || !activeHold || !layout || !codes) return;
    resumed.current = true;
    const byId = new Map(layout.seats.id.map((id, p) => [id, p]));
    const positions = activeHold.seatIds.map((id) => byId.get(id)).filter((p): p is number => p !== undefined);
    setHold({ ...activeHold, receivedAt: Date.now(), positions });
    recodeCached(queryClient, eventId, positions, CODE.held, 'yours');
    setAnnouncement(`You are holding ${listSeats(layout, positions)} from before.`);
  }, [activeHold, layout, codes, queryClient, eventId]);

  // Back from rejoining the line: the selection kept when the shopping window ended, where the seats are still free.
  // Read once in the browser (the server renders no selection, and nothing shows it before the layout is loaded),
  // applied once while rendering as soon as the layout and availability are known.
  const [savedSelection] = useState(() => (typeof window === 'undefined' ? [] : peekSavedSelection(eventId)));
  const [restoreDone, setRestoreDone] = useState(false);
  if (!restoreDone && layout && codes) {
    setRestoreDone(true);
    if (savedSelection.length && !activeHold) {
      const byId = new Map(layout.seats.id.map((id, p) => [id, p]));
      const positions = savedSelection.map((id) => byId.get(id)).filter((p): p is number => p !== undefined);
      const free = positions.filter((p) => codes[p] === CODE.available).slice(0, perOrderLimit);
      const gone = positions.filter((p) => !free.includes(p));
      setSelected(new Set(free));
      const text = free.length
        ? `Your selection is back: ${listSeats(layout, free)}. Hold ${free.length === 1 ? 'it' : 'them'} now.${gone.length ? ` ${listSeats(layout, gone)} ${gone.length === 1 ? 'was' : 'were'} taken meanwhile.` : ''}`
        : `${listSeats(layout, gone)} ${gone.length === 1 ? 'was' : 'were'} taken while you were in line. Please pick other seats.`;
      setNotice({ tone: free.length ? 'success' : 'error', text });
      setAnnouncement(text);
    }
  }
  useEffect(() => {
    if (restoreDone) forgetSavedSelection(eventId);
  }, [restoreDone, eventId]);

  const rejoin = useCallback(() => {
    if (layout)
      saveSelection(
        eventId,
        [...selectedRef.current].map((p) => layout.seats.id[p]!),
      );
    // A full navigation: the client router may hold an earlier prefetch of this page that the gate answered.
    window.location.replace(`/events/${eventId}/queue`);
  }, [layout, eventId]);

  const holdSeats = useHoldSeats(eventId, layout, {
    onHeld: (held) => {
      focusHeld.current = true;
      setHold(held);
      setPending(new Set());
      setSelected(new Set());
      setNotice(null);
      if (layout)
        setAnnouncement(
          `Held ${countOf(held.positions.length, 'seat', 'seats')}: ${listSeats(layout, held.positions)}. You have ${countOf(holdMinutes, 'minute', 'minutes')} to complete your purchase.`,
        );
    },
    onFailed: (error, positions, lost) => {
      setPending(new Set());
      // While the request was out, its seats counted as this buyer's: a "held" change for one of them (the other
      // buyer who won it) was read as "yours". Nothing was held, so those are someone else's.
      recodeCached(queryClient, eventId, positions, CODE.yours, 'held');
      if (!layout) return;
      if (error.code === 'SEATS_UNAVAILABLE') {
        const gone = lost.length ? lost : positions;
        setSelected((s) => new Set([...s].filter((p) => !gone.includes(p))));
        const rest = positions.length - gone.length;
        setNotice({
          tone: 'error',
          text: `Sorry, ${listSeats(layout, gone)} ${gone.length === 1 ? 'was' : 'were'} taken by another buyer a moment ago, so nothing was held.${rest > 0 ? ` Your other ${rest === 1 ? 'seat is' : `${rest} seats are`} still selected: hold ${rest === 1 ? 'it' : 'them'}, or pick another seat.` : ' Please pick other seats.'}`,
        });
        return;
      }
      if (error.code === 'UNAUTHENTICATED') {
        router.push(`/sign-in?next=${encodeURIComponent(`/events/${eventId}/seats`)}`);
        return;
      }
      if (error.code === 'QUEUE_TOKEN_REQUIRED') {
        // The shopping window is over (or was ended): say so, keep the selection, and offer the line again.
        setWindowEnded(true);
        return;
      }
      if (error.code === 'SEAT_LIMIT_EXCEEDED') {
        // The server's sentence already says the limit; the page only adds what to do.
        setNotice({ tone: 'error', text: `${error.message} Pick fewer seats, or release seats you hold.` });
        return;
      }
      setNotice({ tone: 'error', text: `Your seats could not be held: ${error.message}` });
    },
  });

  const release = useReleaseHold(eventId, {
    onReleased: (released) => {
      if (layout) setAnnouncement(`Released ${listSeats(layout, released.positions)}.`);
      setNotice({ tone: 'info', text: 'Your seats were released.' });
    },
    onFailed: (error, failed) => {
      setHold(failed);
      setNotice({ tone: 'error', text: `The seats could not be released: ${error.message}` });
    },
  });

  useReleaseOnLeave(hold, toCheckout);

  // After "Hold": focus moves to the hold summary (its heading is read, then the countdown speaks at a few moments),
  // instead of dropping to the page body when the pressed button goes away.
  useEffect(() => {
    if (hold && focusHeld.current) {
      focusHeld.current = false;
      heldRef.current?.focus();
    }
  }, [hold]);

  const onExpire = useCallback(() => {
    if (!hold || !layout) return;
    setHold(null);
    setSelected(new Set());
    const text = `Time is up: your hold on ${listSeats(layout, hold.positions)} ended after ${countOf(holdMinutes, 'minute', 'minutes')} and the seats went back on sale. Pick seats again to continue.`;
    setNotice({ tone: 'error', text });
    setAnnouncement(text);
    // An ended hold reads as available on the server at once (the sweeper publishes the change a little later).
    recodeCached(queryClient, eventId, hold.positions, CODE.yours, 'available');
  }, [hold, layout, holdMinutes, queryClient, eventId]);

  const toggle = useCallback(
    (position: number) => {
      if (!layout) return;
      if (hold) {
        setNotice({ tone: 'info', text: 'You are holding seats. Release them first to choose different ones.' });
        return;
      }
      if (holdSeats.isPending) {
        setAnnouncement('Holding your seats, one moment.');
        return;
      }
      const name = seatName(layout, position);
      if (selected.has(position)) {
        const next = new Set(selected);
        next.delete(position);
        setSelected(next);
        setAnnouncement(`Removed ${name}. ${next.size} ${next.size === 1 ? 'seat' : 'seats'} selected.`);
        return;
      }
      if (selected.size >= perOrderLimit) {
        setAnnouncement(`You can pick up to ${countOf(perOrderLimit, 'seat', 'seats')}. Remove one first.`);
        setNotice({
          tone: 'info',
          text: `You can pick up to ${countOf(perOrderLimit, 'seat', 'seats')} for this event. Remove one to choose another.`,
        });
        return;
      }
      const next = new Set(selected).add(position);
      setSelected(next);
      setAnnouncement(
        `Selected ${name}, ${seatPrice(layout, position, locale)}. ${next.size} ${next.size === 1 ? 'seat' : 'seats'} selected.`,
      );
    },
    [layout, hold, holdSeats.isPending, selected, perOrderLimit, locale],
  );

  const requestHold = () => {
    if (!selected.size || holdSeats.isPending) return;
    const positions = [...selected];
    setPending(new Set(positions));
    setNotice(null);
    holdSeats.mutate(positions);
  };

  const releaseHold = () => {
    if (!hold) return;
    const held = hold;
    setHold(null);
    setSelected(new Set());
    release.mutate(held);
  };

  const applyBest = (positions: number[], message: string) => {
    if (holdSeats.isPending) return;
    setSelected(new Set(positions));
    setNotice({ tone: 'success', text: message });
    setAnnouncement(message);
    if (positions.length) {
      if (layout) setListSection(layout.rows[layout.seats.row[positions[0]!]!]!.section);
      mapRef.current?.zoomToSeats(positions);
    }
  };

  if (layoutQuery.isError)
    return <LoadError message="The seat map could not be loaded." retry={() => layoutQuery.refetch()} />;
  if (!layout || !codes || codes.length !== layout.seats.id.length) {
    if (availability.isError)
      return <LoadError message="Seat availability could not be loaded." retry={() => availability.refetch()} />;
    return (
      <div
        role="status"
        className="grid h-[min(68vh,640px)] min-h-[300px] place-items-center rounded-xl bg-white text-slate-600 ring-1 ring-slate-200"
      >
        Loading the seat map of {venueName}…
      </div>
    );
  }

  const interactive = onSale;
  const held = hold?.positions ?? [];
  const chosen = hold ? held : [...selected];
  const totalMinor = chosen.reduce((n, p) => n + (layout.tiers[layout.seats.tier[p]!]?.priceMinor ?? 0), 0);
  const canActivate = (p: number, state: string) => state === 'selected' || (state === 'available' && !hold);

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_340px]">
      <div className="min-w-0 space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <div role="group" aria-label="How to show the seats" className="inline-flex rounded-lg bg-slate-100 p-1">
            {(['map', 'list'] as const).map((v) => (
              <button
                key={v}
                type="button"
                aria-pressed={view === v}
                onClick={() => setView(v)}
                className="min-h-11 rounded-md px-4 text-sm font-semibold text-slate-700 aria-pressed:bg-white aria-pressed:text-slate-900 aria-pressed:shadow"
              >
                {v === 'map' ? 'Map' : 'List of seats'}
              </button>
            ))}
          </div>
          <p className="text-sm text-slate-600" aria-live="off">
            {availability.streamOpen ? 'Live: updates as seats change' : 'Updating every few seconds'}
          </p>
        </div>
        {view === 'map' ? (
          <SeatMap
            ref={mapRef}
            layout={layout}
            codes={codes}
            selected={selected}
            pending={pending}
            onSeatActivate={interactive ? toggle : undefined}
            canActivate={canActivate}
            label={`Seat map of ${venueName}`}
            locale={locale}
          />
        ) : (
          <SeatList
            layout={layout}
            codes={codes}
            selected={selected}
            onSeatActivate={interactive ? toggle : undefined}
            canActivate={canActivate}
            locale={locale}
            section={listSection}
            onSectionChange={setListSection}
          />
        )}
      </div>

      <aside className="space-y-4" aria-label="Your seats">
        {notice && (
          <div
            role={notice.tone === 'error' ? 'alert' : 'status'}
            className={`rounded-xl p-3 text-sm ring-1 ${notice.tone === 'error' ? 'bg-red-50 text-red-900 ring-red-200' : notice.tone === 'success' ? 'bg-emerald-50 text-emerald-900 ring-emerald-200' : 'bg-sky-50 text-sky-900 ring-sky-200'}`}
          >
            <p>{notice.text}</p>
            <button type="button" className="mt-1 min-h-11 font-semibold underline" onClick={() => setNotice(null)}>
              Dismiss
            </button>
          </div>
        )}

        {interactive && !hold && (shoppingWindow || windowEnded) && (
          <ShoppingWindow
            // Without a known window (no admission on the page), only a refused hold shows it, as ended.
            endsAt={shoppingWindow?.endsAt ?? EPOCH}
            serverTime={shoppingWindow?.serverTime ?? EPOCH}
            receivedAt={windowReceivedAt}
            holdMinutes={holdMinutes}
            ended={windowEnded}
            onEnd={() => setWindowEnded(true)}
            onRejoin={rejoin}
          />
        )}

        {!interactive && (
          <p className="rounded-xl bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200">
            Seats can be picked only while the event is on sale. The map shows the current availability.
          </p>
        )}

        {hold ? (
          <section
            ref={heldRef}
            tabIndex={-1}
            className="space-y-3 rounded-xl bg-white p-4 ring-1 ring-slate-200 focus:outline-2 focus:outline-brand-600"
            aria-labelledby="held-heading"
          >
            <h2 id="held-heading" className="text-lg font-bold">
              {held.length} {held.length === 1 ? 'seat' : 'seats'} held for you
            </h2>
            <HoldCountdown
              key={hold.id}
              expiresAt={hold.expiresAt}
              serverTime={hold.serverTime}
              receivedAt={hold.receivedAt}
              onExpire={onExpire}
            />
            <SeatLines layout={layout} positions={held} locale={locale} />
            <Total minor={totalMinor} currency={layout.currency} locale={locale} />
            <Link
              href={`/checkout/${hold.id}`}
              className={buttonClass('primary', 'w-full')}
              onClick={() => (toCheckout.current = true)}
            >
              Continue to checkout
            </Link>
            <Button variant="secondary" className="w-full" onClick={releaseHold} disabled={release.isPending}>
              Release {held.length === 1 ? 'seat' : 'seats'}
            </Button>
          </section>
        ) : (
          <section
            className="space-y-3 rounded-xl bg-white p-4 ring-1 ring-slate-200"
            aria-labelledby="selection-heading"
          >
            <h2 id="selection-heading" className="text-lg font-bold">
              Your selection
            </h2>
            {selected.size === 0 ? (
              <p className="text-sm text-slate-600">
                No seats yet. Pick up to {perOrderLimit} on the map or in the list, or let us find the best available.
              </p>
            ) : (
              <>
                <SeatLines
                  layout={layout}
                  positions={[...selected]}
                  locale={locale}
                  onRemove={interactive && !holdSeats.isPending ? toggle : undefined}
                />
                <Total minor={totalMinor} currency={layout.currency} locale={locale} />
              </>
            )}
            <Button
              className="w-full"
              onClick={requestHold}
              disabled={!interactive || windowEnded || selected.size === 0 || holdSeats.isPending}
            >
              {holdSeats.isPending
                ? 'Holding…'
                : selected.size
                  ? `Hold ${selected.size} ${selected.size === 1 ? 'seat' : 'seats'}`
                  : 'Hold seats'}
            </Button>
            <p className="text-xs text-slate-600">
              Seats are held for {countOf(holdMinutes, 'minute', 'minutes')} while you pay. Up to {perOrderLimit} per
              order.
            </p>
          </section>
        )}

        {interactive && !hold && (
          <BestAvailableForm
            layout={layout}
            codes={codes}
            selected={selected}
            perOrderLimit={perOrderLimit}
            locale={locale}
            onFound={applyBest}
          />
        )}

        <section className="rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-labelledby="legend-heading">
          <h2 id="legend-heading" className="sr-only">
            Legend
          </h2>
          <SeatLegend layout={layout} locale={locale} />
        </section>
      </aside>

      <p className="sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </p>
    </div>
  );
}

function SeatLines({
  layout,
  positions,
  locale,
  onRemove,
}: {
  layout: LayoutDocument;
  positions: number[];
  locale: string;
  onRemove?: (p: number) => void;
}) {
  return (
    <ul className="divide-y divide-slate-100 text-sm" data-testid="seat-lines">
      {positions.map((p) => (
        <li key={p} className="flex items-center justify-between gap-2 py-1.5">
          <span>{seatName(layout, p)}</span>
          <span className="flex items-center gap-1">
            <span className="tabular-nums">{seatPrice(layout, p, locale)}</span>
            {onRemove && (
              <button
                type="button"
                onClick={() => onRemove(p)}
                aria-label={`Remove ${describeSeat(layout, p, 'selected', locale)}`}
                className="grid h-11 w-11 place-items-center rounded-lg text-lg text-slate-600 hover:bg-slate-100"
              >
                ×
              </button>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}

function Total({ minor, currency, locale }: { minor: number; currency: string; locale: string }) {
  return (
    <p className="flex justify-between border-t border-slate-200 pt-2 font-semibold">
      <span>Total before fees</span>
      <span className="tabular-nums">{formatMoney(minor, currency, locale)}</span>
    </p>
  );
}

function LoadError({ message, retry }: { message: string; retry: () => void }) {
  return (
    <div role="alert" className="rounded-xl bg-red-50 p-6 text-red-900 ring-1 ring-red-200">
      <p className="font-semibold">{message}</p>
      <p className="mt-1 text-sm">Check your connection and try again.</p>
      <Button variant="secondary" className="mt-3" onClick={retry}>
        Try again
      </Button>
    </div>
  );
}
