'use client';

import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { HoldCountdown } from '@/components/hold-countdown/hold-countdown';
import { ApiError, requestJson } from '@/components/seat-map/api';
import { Button } from '@/components/ui/plain-button';
import type { WaitlistStatus } from '@/lib/contracts/waitlist';
import { countOf, formatMoney, seatPhrase } from '@/lib/format';
import { amountInputText, parseAmount } from '@/lib/pricing/money';

export type WaitlistTier = { id: string; name: string; priceMinor: number; soldOut: boolean };

type Props = {
  eventId: string;
  currency: string;
  locale: string;
  perOrderLimit: number;
  /** The tiers a buyer may wait for: the sold-out ones. */
  tiers: WaitlistTier[];
  initial: WaitlistStatus;
};

/** While on the list, the place and a new offer are read again this often (the offer is also mailed). */
const POLL_MS = 5_000;

/**
 * The event page's waitlist: the join form on a sold-out event or tier; then the buyer's place, with a way to leave;
 * then the seats offered, held until the offer's end, with "Pay now" (the checkout, through the hold's resume) and
 * "Decline". Reads the place again every five seconds, so an offer shows here without a reload.
 */
export function WaitlistPanel({ eventId, currency, locale, perOrderLimit, tiers, initial }: Props) {
  const [status, setStatus] = useState(initial);
  const [receivedAt, setReceivedAt] = useState(() => Date.now());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const url = `/api/events/${eventId}/waitlist`;
  const entry = status.entry;
  const live = entry?.status === 'waiting' || entry?.status === 'offered';
  const money = (minor: number) => formatMoney(minor, currency, locale);

  const refresh = useCallback(async () => {
    try {
      setStatus(await requestJson<WaitlistStatus>(url));
      setReceivedAt(Date.now());
    } catch {
      // The next poll tries again; the page keeps what it showed.
    }
  }, [url]);
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [live, refresh]);

  const act = async (run: () => Promise<WaitlistStatus | void>) => {
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      const next = await run();
      if (next) {
        setStatus(next);
        setReceivedAt(Date.now());
      }
    } catch (e) {
      if (e instanceof ApiError) {
        const errors = (e.problem.errors ?? []) as { path: string; message: string }[];
        setFieldErrors(Object.fromEntries(errors.map((x) => [x.path.split('.')[0], x.message])));
      }
      setError(e instanceof Error ? e.message : 'Something went wrong. Try again.');
    } finally {
      setBusy(false);
    }
  };

  const join = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const tier = String(form.get('tier') ?? '');
    // "¥8,000" or "80,00": the buyer's own way of writing an amount, in the event's currency (decision 045).
    const price = parseAmount(String(form.get('maxPrice') ?? ''), currency);
    if (!price.ok) {
      setFieldErrors({
        maxPriceMinor: `${price.message}, e.g. ${amountInputText(Math.max(...tiers.map((t) => t.priceMinor)), currency)}`,
      });
      return;
    }
    const body = {
      priceTierId: tier || null,
      partySize: Number(form.get('partySize')),
      maxPriceMinor: price.minor,
      wheelchairSeats: Number(form.get('wheelchairSeats') || 0),
    };
    void act(() => requestJson<WaitlistStatus>(url, { method: 'POST', body: JSON.stringify(body) }));
  };
  const leave = () => void act(() => requestJson<WaitlistStatus>(url, { method: 'DELETE' }));
  const pay = (holdId: string) =>
    void act(async () => {
      const { checkoutUrl } = await requestJson<{ checkoutUrl: string }>(`/api/holds/${holdId}/resume`, {
        method: 'POST',
      });
      window.location.assign(checkoutUrl);
    });

  const ids = useId();
  const field = (name: string) => ({
    id: `${ids}-${name}`,
    name,
    'aria-invalid': fieldErrors[name] ? true : undefined,
    'aria-describedby': fieldErrors[name] ? `${ids}-${name}-error` : undefined,
  });
  const fieldError = (name: string) =>
    fieldErrors[name] ? (
      <p id={`${ids}-${name}-error`} className="mt-1 text-xs text-red-700">
        {fieldErrors[name]}
      </p>
    ) : null;
  const cheapest = Math.min(...tiers.map((t) => t.priceMinor));
  const ended: Record<string, string> = {
    purchased: 'You bought the seats offered to you from the waitlist.',
    lapsed: 'Your offer ran out and the seats went to the next person. You can join again.',
    declined: 'You declined the seats offered. You can join again.',
    left: 'You left the waitlist. You can join again.',
  };

  return (
    <section id="waitlist" aria-labelledby="waitlist-heading" className="mt-4 rounded-lg bg-slate-50 p-4 text-sm">
      <h3 id="waitlist-heading" className="text-base font-bold">
        {entry?.status === 'offered' ? 'Seats are held for you' : 'Waitlist'}
      </h3>
      {error && (
        <p role="alert" className="mt-2 rounded bg-red-50 p-2 text-red-800">
          {error}
        </p>
      )}

      {entry?.status === 'offered' && entry.offer ? (
        <div className="mt-2 space-y-2" role="status">
          <p>Seats came free and are held in your name. Pay before the time runs out, or they go to the next person.</p>
          <ul className="list-disc pl-5">
            {entry.offer.seats.map((s) => (
              <li key={`${s.sectionLabel}-${s.rowLabel}-${s.seatLabel}`}>{seatPhrase(s)}</li>
            ))}
          </ul>
          <p className="font-semibold">{money(entry.offer.totalMinor)} plus any fees</p>
          <HoldCountdown
            expiresAt={entry.offer.expiresAt}
            serverTime={status.serverTime}
            receivedAt={receivedAt}
            onExpire={() => void refresh()}
          />
          <div className="flex flex-wrap gap-2">
            <Button onClick={() => pay(entry.offer!.holdId)} disabled={busy}>
              Pay now
            </Button>
            <Button variant="secondary" onClick={leave} disabled={busy}>
              Decline
            </Button>
          </div>
        </div>
      ) : entry?.status === 'waiting' || entry?.status === 'offered' ? (
        <div className="mt-2 space-y-2" role="status">
          <p>
            You are on the waitlist for {countOf(entry.partySize, 'seat', 'seats', locale)}
            {entry.wheelchairSeats > 0 && ` (${entry.wheelchairSeats} wheelchair)`}, up to {money(entry.maxPriceMinor)}{' '}
            each.{' '}
            {entry.ahead === 0
              ? 'Nobody is ahead of you.'
              : `${countOf(entry.ahead, 'party is', 'parties are', locale)} ahead of you.`}
          </p>
          <p className="text-slate-600">
            When seats that fit come free, they are held for you and we email you. Parties ahead of you go first when
            the seats fit them.
          </p>
          <Button variant="secondary" onClick={leave} disabled={busy}>
            Leave the waitlist
          </Button>
        </div>
      ) : tiers.length === 0 ? (
        // Nothing is sold out any more (the page was loaded while this buyer was on the list): buy on the seat map.
        <p className="mt-2 text-slate-700" role="status">
          {entry && ended[entry.status] ? `${ended[entry.status]!.replace(' You can join again.', '')} ` : ''}Seats are
          on sale again:{' '}
          <a className="font-semibold text-brand-700 underline" href={`/events/${eventId}/seats`}>
            choose them on the seat map
          </a>
          .
        </p>
      ) : (
        <form onSubmit={join} className="mt-2 space-y-3" noValidate>
          {entry && ended[entry.status] && <p className="text-slate-700">{ended[entry.status]}</p>}
          <p className="text-slate-700">
            Join the waitlist: when seats that fit your party come free, they are held for you to pay.
          </p>
          <div>
            <label htmlFor={`${ids}-tier`} className="block font-medium">
              Tier
            </label>
            <select
              {...field('tier')}
              className="mt-1 w-full rounded-md border-slate-300 bg-white p-2 ring-1 ring-slate-300"
            >
              {tiers.length > 1 && <option value="">Any sold-out tier</option>}
              {tiers.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name} ({money(t.priceMinor)})
                </option>
              ))}
            </select>
          </div>
          <div className="grid grid-cols-2 gap-3">
            <div>
              <label htmlFor={`${ids}-partySize`} className="block font-medium">
                Seats
              </label>
              <input
                {...field('partySize')}
                type="number"
                inputMode="numeric"
                min={1}
                max={perOrderLimit}
                defaultValue={2}
                required
                className="mt-1 w-full rounded-md p-2 ring-1 ring-slate-300"
              />
              {fieldError('partySize')}
            </div>
            <div>
              <label htmlFor={`${ids}-maxPriceMinor`} className="block font-medium">
                Most per seat ({currency})
              </label>
              <input
                {...field('maxPriceMinor')}
                name="maxPrice"
                type="text"
                inputMode="decimal"
                defaultValue={amountInputText(Math.max(...tiers.map((t) => t.priceMinor)), currency)}
                required
                className="mt-1 w-full rounded-md p-2 ring-1 ring-slate-300"
              />
              {fieldError('maxPriceMinor')}
            </div>
          </div>
          <div>
            <label htmlFor={`${ids}-wheelchairSeats`} className="block font-medium">
              Wheelchair spaces needed
            </label>
            <input
              {...field('wheelchairSeats')}
              type="number"
              inputMode="numeric"
              min={0}
              max={perOrderLimit}
              defaultValue={0}
              className="mt-1 w-full rounded-md p-2 ring-1 ring-slate-300"
            />
            {fieldError('wheelchairSeats')}
          </div>
          <p className="text-xs text-slate-600">
            Seats from {money(cheapest)}. Up to {perOrderLimit} per party.
          </p>
          <Button type="submit" disabled={busy} className="w-full">
            {busy ? 'Joining…' : 'Join the waitlist'}
          </Button>
        </form>
      )}
    </section>
  );
}
