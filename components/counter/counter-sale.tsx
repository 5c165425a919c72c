'use client';

import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useCallback, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { ApiError, requestJson } from '@/components/seat-map/api';
import { CODE, type SeatChange } from '@/components/seat-map/availability';
import { listSeats, seatName } from '@/components/seat-map/labels';
import { SeatLegend } from '@/components/seat-map/legend';
import { SeatMap } from '@/components/seat-map/seat-map';
import { useReleaseOnLeave } from '@/components/seat-map/use-hold';
import { recodeCached, useAvailability, useLayout } from '@/components/seat-map/use-seat-data';
import {
  COUNTER_METHOD_LABELS,
  type CounterMethod,
  type CounterSaleRequest,
  type CounterSaleResult,
} from '@/lib/contracts/counter';
import type { HoldResponse, LayoutDocument } from '@/lib/contracts/inventory';
import { formatMoney } from '@/lib/format';
import { parseAmount } from '@/lib/pricing/money';

type Props = {
  eventId: string;
  venueName: string;
  currency: string;
  feePerTicketMinor: number;
  perOrderLimit: number;
  locale: string;
};

type Hold = HoldResponse & { positions: number[] };
type Notice = { tone: 'error' | 'info'; text: string } | null;

/** What the selected seats cost: each seat's tier price plus the event's fee per ticket (the server's total decides). */
function totalOf(layout: LayoutDocument, positions: number[], fee: number): number {
  return positions.reduce((sum, p) => sum + layout.tiers[layout.seats.tier[p]!]!.priceMinor + fee, 0);
}

/**
 * The counter's sale, three steps on one page: pick seats on the live seat map the buyers see, hold them (the same
 * hold as a buyer's: a seat someone holds online is refused), take cash or a card on the terminal and complete the
 * sale, then print the tickets or say where they were emailed. The sale's idempotency key is made when the seats are
 * held and kept for every retry of that sale, so a double click or a lost answer never sells twice.
 */
export function CounterSale({ eventId, venueName, currency, feePerTicketMinor, perOrderLimit, locale }: Props) {
  const queryClient = useQueryClient();
  // The counter sells every seat, hidden tiers too: the layout of every tier (staff), not the public one.
  const { data: layout, isError: layoutFailed } = useLayout(eventId, 'unlocked');
  const [selected, setSelected] = useState<ReadonlySet<number>>(() => new Set());
  const [hold, setHold] = useState<Hold | null>(null);
  const [busy, setBusy] = useState<'hold' | 'release' | 'sell' | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [method, setMethod] = useState<CounterMethod>('cash');
  const [tendered, setTendered] = useState('');
  const [reference, setReference] = useState('');
  const [email, setEmail] = useState('');
  const [sale, setSale] = useState<CounterSaleResult | null>(null);
  const saleKey = useRef<string | null>(null);
  // Leaving the page with seats held lets them go (as on the buyers' page); a sold hold has nothing to release.
  const keepHold = useRef(false);
  useReleaseOnLeave(hold && !sale ? { ...hold, receivedAt: 0 } : null, keepHold);
  const ids = { tendered: useId(), reference: useId(), email: useId(), total: useId() };

  // Seats of the hold request on its way: the live feed can report them held before the answer arrives, and that
  // change is this sale's own, not someone else's (a ref, so the check sees them at once).
  const requested = useRef<ReadonlySet<number>>(new Set());
  const [pending, setPending] = useState<ReadonlySet<number>>(() => new Set());
  const mine = useMemo(() => new Set([...(hold?.positions ?? []), ...pending]), [hold, pending]);
  const onChanges = useCallback(
    (changes: SeatChange[]) => {
      if (!layout) return;
      const taken = changes
        .filter(
          (c) =>
            c.to !== 'available' &&
            c.to !== 'yours' &&
            selected.has(c.position) &&
            !mine.has(c.position) &&
            !requested.current.has(c.position),
        )
        .map((c) => c.position);
      if (!taken.length) return;
      setSelected((s) => new Set([...s].filter((p) => !taken.includes(p))));
      setNotice({
        tone: 'error',
        text: `${listSeats(layout, taken)} just went to another sale and left your selection.`,
      });
    },
    [layout, selected, mine],
  );
  const availability = useAvailability(eventId, { mine, onChanges, layoutScope: 'unlocked' });
  const codes = availability.data?.codes;

  const money = (minor: number) => formatMoney(minor, currency, locale);
  const seats = hold ? hold.positions : [...selected].sort((a, b) => a - b);
  const total = layout ? totalOf(layout, seats, feePerTicketMinor) : 0;
  // "¥10,000" or "20,00" counted out at the till, in the event's currency (decision 045: yen have no decimals).
  const read = parseAmount(tendered, currency);
  const tenderedMinor = read.ok ? read.minor : null;
  const change = tenderedMinor === null ? null : tenderedMinor - total;

  const toggle = (position: number) => {
    if (hold || !codes) return;
    setNotice(null);
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(position)) next.delete(position);
      else if (next.size < perOrderLimit) next.add(position);
      else setNotice({ tone: 'error', text: `At most ${perOrderLimit} seats in one sale.` });
      return next;
    });
  };

  async function holdSelected() {
    if (!layout || !selected.size) return;
    const positions = [...selected].sort((a, b) => a - b);
    requested.current = new Set(positions);
    setPending(requested.current);
    setBusy('hold');
    setNotice(null);
    try {
      const answer = await requestJson<HoldResponse>('/api/counter/holds', {
        method: 'POST',
        body: JSON.stringify({ eventId, seatIds: positions.map((p) => layout.seats.id[p]!) }),
      });
      recodeCached(queryClient, eventId, positions, CODE.available, 'yours');
      recodeCached(queryClient, eventId, positions, CODE.held, 'yours');
      saleKey.current = crypto.randomUUID();
      setHold({ ...answer, positions });
      setSelected(new Set());
    } catch (error) {
      const problem = error instanceof ApiError ? error : new ApiError(0, {});
      const lostIds = new Set(
        problem.code === 'SEATS_UNAVAILABLE' && Array.isArray(problem.problem.unavailableSeatIds)
          ? (problem.problem.unavailableSeatIds as number[])
          : [],
      );
      const lost = positions.filter((p) => lostIds.has(layout.seats.id[p]!));
      if (lost.length) {
        recodeCached(queryClient, eventId, lost, CODE.available, 'held');
        setSelected((s) => new Set([...s].filter((p) => !lost.includes(p))));
        setNotice({
          tone: 'error',
          text: `${listSeats(layout, lost)} ${lost.length === 1 ? 'is' : 'are'} held or sold elsewhere (online or at another counter) and left your selection. Choose again.`,
        });
      } else setNotice({ tone: 'error', text: problem.message });
      // Refused: none of these seats are this sale's.
      requested.current = new Set();
    } finally {
      setPending(new Set());
      setBusy(null);
    }
  }

  async function release() {
    if (!hold) return;
    setBusy('release');
    try {
      await requestJson(`/api/holds/${hold.id}`, { method: 'DELETE' });
    } catch (error) {
      if (!(error instanceof ApiError && (error.status === 404 || error.code === 'HOLD_NOT_ACTIVE'))) {
        setNotice({ tone: 'error', text: (error as Error).message });
        setBusy(null);
        return;
      }
    }
    recodeCached(queryClient, eventId, hold.positions, CODE.yours, 'available');
    requested.current = new Set();
    setHold(null);
    saleKey.current = null;
    setBusy(null);
    setNotice({ tone: 'info', text: 'The seats are back on sale.' });
  }

  async function complete(event: FormEvent) {
    event.preventDefault();
    if (!hold || !saleKey.current) return;
    const payment: CounterSaleRequest['payment'] | null =
      method === 'cash'
        ? tenderedMinor !== null && tenderedMinor >= total
          ? { method: 'cash', tenderedMinor }
          : null
        : reference.trim()
          ? { method: 'card_present', terminalReference: reference.trim() }
          : null;
    if (!payment) {
      setNotice({
        tone: 'error',
        text:
          method === 'cash'
            ? `Enter the cash handed over: at least ${money(total)}.`
            : 'Enter the reference the card terminal printed.',
      });
      return;
    }
    setBusy('sell');
    setNotice(null);
    try {
      const body: CounterSaleRequest = { holdId: hold.id, payment, ...(email.trim() ? { email: email.trim() } : {}) };
      const result = await requestJson<CounterSaleResult>('/api/counter/sales', {
        method: 'POST',
        headers: { 'idempotency-key': saleKey.current },
        body: JSON.stringify(body),
      });
      recodeCached(queryClient, eventId, hold.positions, CODE.yours, 'sold');
      setSale(result);
    } catch (error) {
      // The same key is kept: trying again after a lost answer finds this sale rather than making another.
      setNotice({ tone: 'error', text: (error as Error).message });
    } finally {
      setBusy(null);
    }
  }

  function nextSale() {
    requested.current = new Set();
    setSale(null);
    setHold(null);
    saleKey.current = null;
    setTendered('');
    setReference('');
    setEmail('');
    setMethod('cash');
    setNotice(null);
  }

  if (layoutFailed) return <p role="alert">The seat map could not be loaded. Reload the page.</p>;

  return (
    <div className="grid gap-5 lg:grid-cols-[minmax(0,1fr)_24rem]">
      <section aria-labelledby="counter-map-heading" className="min-w-0">
        <h2 id="counter-map-heading" className="sr-only">
          Seat map
        </h2>
        {layout && codes ? (
          <SeatMap
            layout={layout}
            codes={codes}
            selected={selected}
            onSeatActivate={hold || sale ? undefined : toggle}
            label={`Seat map of ${venueName}`}
            locale={locale}
          />
        ) : (
          <p role="status" className="grid h-[28rem] place-items-center rounded-xl bg-white ring-1 ring-slate-200">
            Loading the seat map…
          </p>
        )}
        {layout && <SeatLegend layout={layout} locale={locale} />}
      </section>

      <aside className="space-y-4">
        {notice && (
          <p
            role={notice.tone === 'error' ? 'alert' : 'status'}
            className={`rounded-lg p-3 text-sm ${notice.tone === 'error' ? 'bg-red-50 text-red-800 ring-1 ring-red-200' : 'bg-slate-100 text-slate-800'}`}
          >
            {notice.text}
          </p>
        )}

        {sale ? (
          <section aria-labelledby="sale-done" className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
            <h2 id="sale-done" className="text-lg font-bold">
              Sale {sale.reference} complete
            </h2>
            <dl className="mt-3 grid grid-cols-2 gap-y-1 text-sm">
              <dt className="text-slate-600">Total</dt>
              <dd className="text-right font-semibold">{money(sale.totalMinor)}</dd>
              <dt className="text-slate-600">Paid by</dt>
              <dd className="text-right">{COUNTER_METHOD_LABELS[sale.method]}</dd>
              {sale.changeMinor !== null && (
                <>
                  <dt className="text-slate-600">Change due</dt>
                  <dd className="text-right text-2xl font-bold" data-testid="change-due">
                    {money(sale.changeMinor)}
                  </dd>
                </>
              )}
            </dl>
            {sale.emailedTo && (
              <p className="mt-3 text-sm text-slate-700">
                The tickets were sent to {sale.emailedTo}; the buyer claims them from that email.
              </p>
            )}
            <div className="mt-4 flex flex-wrap gap-2">
              <Link
                href={`/counter/sales/${sale.orderId}`}
                className="rounded-lg bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700"
              >
                Print tickets
              </Link>
              <button
                type="button"
                onClick={nextSale}
                className="rounded-lg px-4 py-2 font-semibold text-brand-700 ring-1 ring-brand-200 hover:bg-brand-50"
              >
                Next sale
              </button>
            </div>
          </section>
        ) : hold && layout ? (
          <form
            onSubmit={complete}
            aria-labelledby="pay-heading"
            className="space-y-4 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200"
          >
            <h2 id="pay-heading" className="text-lg font-bold">
              Take payment
            </h2>
            <ul className="text-sm text-slate-700">
              {hold.positions.map((p) => (
                <li key={p}>{seatName(layout, p)}</li>
              ))}
            </ul>
            <p className="flex items-baseline justify-between" id={ids.total}>
              <span className="text-slate-600">Total</span>
              <span className="text-2xl font-bold">{money(total)}</span>
            </p>
            <fieldset>
              <legend className="text-sm font-semibold">Payment</legend>
              <div className="mt-2 grid grid-cols-2 gap-2">
                {(['cash', 'card_present'] as const).map((m) => (
                  <label
                    key={m}
                    className={`flex cursor-pointer items-center gap-2 rounded-lg px-3 py-3 ring-1 ${method === m ? 'bg-brand-50 ring-brand-500' : 'ring-slate-300'}`}
                  >
                    <input type="radio" name="method" value={m} checked={method === m} onChange={() => setMethod(m)} />
                    {COUNTER_METHOD_LABELS[m]}
                  </label>
                ))}
              </div>
            </fieldset>
            {method === 'cash' ? (
              <div>
                <label htmlFor={ids.tendered} className="block text-sm font-semibold">
                  Cash handed over ({currency})
                </label>
                <input
                  id={ids.tendered}
                  inputMode="decimal"
                  autoComplete="off"
                  value={tendered}
                  onChange={(e) => setTendered(e.target.value)}
                  aria-describedby={ids.total}
                  className="mt-1 w-full rounded-lg px-3 py-2 text-lg ring-1 ring-slate-300"
                />
                <p className="mt-1 text-sm" aria-live="polite">
                  {change === null ? ' ' : change < 0 ? `${money(-change)} short` : `Change: ${money(change)}`}
                </p>
              </div>
            ) : (
              <div>
                <label htmlFor={ids.reference} className="block text-sm font-semibold">
                  Terminal reference
                </label>
                <input
                  id={ids.reference}
                  autoComplete="off"
                  maxLength={64}
                  value={reference}
                  onChange={(e) => setReference(e.target.value)}
                  className="mt-1 w-full rounded-lg px-3 py-2 ring-1 ring-slate-300"
                />
              </div>
            )}
            <div>
              <label htmlFor={ids.email} className="block text-sm font-semibold">
                Email the tickets to (optional)
              </label>
              <input
                id={ids.email}
                type="email"
                autoComplete="off"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                className="mt-1 w-full rounded-lg px-3 py-2 ring-1 ring-slate-300"
              />
              <p className="mt-1 text-xs text-slate-600">Without an address, print the tickets after the sale.</p>
            </div>
            <div className="flex flex-wrap gap-2">
              <button
                type="submit"
                disabled={busy !== null}
                className="rounded-lg bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
              >
                {busy === 'sell' ? 'Recording…' : 'Complete sale'}
              </button>
              <button
                type="button"
                onClick={release}
                disabled={busy !== null}
                className="rounded-lg px-4 py-2 font-semibold text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50 disabled:opacity-60"
              >
                Release seats
              </button>
            </div>
          </form>
        ) : (
          <section aria-labelledby="pick-heading" className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
            <h2 id="pick-heading" className="text-lg font-bold">
              Choose seats
            </h2>
            {layout && selected.size ? (
              <>
                <ul className="mt-2 text-sm text-slate-700">
                  {seats.map((p) => (
                    <li key={p}>{seatName(layout, p)}</li>
                  ))}
                </ul>
                <p className="mt-2 flex items-baseline justify-between">
                  <span className="text-slate-600">Total</span>
                  <span className="text-xl font-bold">{money(total)}</span>
                </p>
              </>
            ) : (
              <p className="mt-2 text-sm text-slate-600">
                Click or tap seats on the map, or move with the arrow keys and press Enter. Up to {perOrderLimit}.
              </p>
            )}
            <button
              type="button"
              onClick={holdSelected}
              disabled={!selected.size || busy !== null}
              className="mt-4 w-full rounded-lg bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
            >
              {busy === 'hold'
                ? 'Holding…'
                : `Hold ${selected.size || ''} ${selected.size === 1 ? 'seat' : 'seats'}`.replace('  ', ' ')}
            </button>
          </section>
        )}
      </aside>
    </div>
  );
}
