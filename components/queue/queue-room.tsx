'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { Button, buttonClass } from '@/components/ui/button';
import { queueStatusSchema, type QueueStatus } from '@/lib/contracts/queue';
import { countOf, formatDateTime, noun } from '@/lib/format';
import { POW_HEADER, solveChallenge } from '@/lib/security/proof-of-work-solver';
import { FairnessPanel } from './fairness-panel';
import { formatAgo, formatCountdown, formatWait } from './format';
import { SeatsLeft } from './seats-left';

type Props = { eventId: string; initial: QueueStatus | null; timezone: string; locale: string };
type Problem = { kind: 'unavailable' | 'rate-limited' | 'error'; message: string };

/** ±20 % so thousands of pages that loaded together do not poll together. */
const jitter = (ms: number) => Math.round(ms * (0.8 + Math.random() * 0.4));

/**
 * The waiting room page's live part: joins (idempotently, so a refresh keeps the place), then polls at the interval
 * the server suggests, and moves on to seat selection by itself once admitted.
 */
export function QueueRoom({ eventId, initial, timezone, locale }: Props) {
  // skewMs corrects countdowns for the client's clock; firstPosition is where this visit started, for progress.
  const [view, setView] = useState<{ status: QueueStatus | null; skewMs: number; firstPosition: number | null }>({
    status: initial,
    skewMs: 0,
    firstPosition: initial?.position ?? null,
  });
  const [problem, setProblem] = useState<Problem | null>(null);
  const [left, setLeft] = useState(false);
  // The first render reads the server's clock (the status's serverTime), not Date.now(): the server and the browser
  // render the countdown at different moments, and any difference in its text is a hydration error (#418).
  const [now, setNow] = useState(() => (initial ? Date.parse(initial.serverTime) : 0));
  const { status, skewMs, firstPosition } = view;

  const router = useRouter();
  /** Starts a round now (join or poll); set by the effect that owns the polling loop. */
  const kick = useRef<(method: 'GET' | 'POST' | 'DELETE') => Promise<void>>(async () => {});

  useEffect(() => {
    const url = `/api/events/${eventId}/queue`;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;

    /** One request; answers how long to wait before the next (0: stop, -1: not in line, join now). */
    const call = async (method: 'GET' | 'POST' | 'DELETE', proof?: string): Promise<number> => {
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          cache: 'no-store',
          headers: { accept: 'application/json', ...(proof ? { [POW_HEADER]: proof } : {}) },
        });
      } catch {
        setProblem({ kind: 'unavailable', message: 'Connection lost. Trying again…' });
        return 5_000;
      }
      if (response.status === 428 && !proof) {
        // A high-demand sale: solve the server's puzzle (a few hundred milliseconds) and join with the answer.
        const { challenge } = (await response.json().catch(() => ({}))) as { challenge?: string };
        const solved = challenge ? await solveChallenge(challenge).catch(() => undefined) : undefined;
        if (solved) return call(method, solved);
      }
      if (response.status === 401) {
        router.replace(`/sign-in?next=${encodeURIComponent(`/events/${eventId}/queue`)}`);
        return 0;
      }
      const retryAfter = Number(response.headers.get('retry-after') ?? 0) * 1000;
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { detail?: string; code?: string };
        if (response.status === 429)
          setProblem({ kind: 'rate-limited', message: 'Checking less often for a moment (too many requests).' });
        else if (response.status === 503)
          setProblem({ kind: 'unavailable', message: body.detail ?? 'The waiting room is busy. Trying again…' });
        else if (body.code === 'EVENT_NOT_ON_SALE') return 15_000;
        else setProblem({ kind: 'error', message: body.detail ?? 'Something went wrong. Trying again…' });
        return retryAfter || 5_000;
      }
      const next = queueStatusSchema.parse(await response.json());
      const skew = Date.parse(next.serverTime) - Date.now();
      setView((v) => ({
        status: next,
        skewMs: skew,
        firstPosition:
          next.position !== null && (v.firstPosition === null || next.position > v.firstPosition)
            ? next.position
            : v.firstPosition,
      }));
      setProblem(null);
      if (next.state === 'admitted' && next.admission) {
        // A full navigation, not the client router: it may hold an earlier prefetch of the seat page that the gate
        // answered with a redirect back here (before this response set the admission cookie).
        window.location.replace(next.admission.redirectTo);
        return 0;
      }
      if (next.state === 'none' && method !== 'DELETE') return -1;
      return next.pollAfterMs || (next.state === 'closed' || method === 'DELETE' ? 0 : 10_000);
    };

    const round = async (method: 'GET' | 'POST' | 'DELETE') => {
      clearTimeout(timer);
      let wait = await call(method);
      // Not in line (first visit, or the place lapsed): join right away.
      if (wait === -1) wait = await call('POST');
      if (wait > 0 && !stopped) timer = setTimeout(() => void round('GET'), jitter(wait));
    };
    kick.current = round;

    const joinable = !initial || !['not-open', 'closed'].includes(initial.state);
    const start = setTimeout(() => void round(joinable ? 'POST' : 'GET'), 0);
    const onVisible = () => {
      if (document.visibilityState === 'visible') void round('GET');
    };
    document.addEventListener('visibilitychange', onVisible);
    // From the first tick on, the browser's clock, corrected by the skew the first answer (sent at once) measures.
    const clock = setInterval(() => setNow(Date.now()), 1_000);
    return () => {
      stopped = true;
      clearTimeout(start);
      clearTimeout(timer);
      clearInterval(clock);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [eventId, initial, router]);

  const leave = async () => {
    await kick.current('DELETE');
    setLeft(true);
  };
  const rejoin = () => {
    setLeft(false);
    setView((v) => ({ ...v, firstPosition: null }));
    void kick.current('POST');
  };

  const serverNow = now + skewMs;
  const instant = (iso: string) => formatDateTime(new Date(iso), timezone, locale);
  const n = (value: number) => value.toLocaleString(locale);
  const perMinute = (rate: number) => rate.toLocaleString(locale, { maximumFractionDigits: rate >= 10 ? 0 : 1 });
  // "About 12 people a minute"; below one a minute, "About one person every 10 minutes" (not "0.1 people a minute").
  const pace = (rate: number) =>
    rate >= 0.95 || rate <= 0
      ? `About ${perMinute(rate)} ${noun(rate, 'person', 'people', locale)} a minute`
      : `About one person every ${countOf(Math.round(1 / rate), 'minute', 'minutes', locale)}`;

  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_360px]">
      <div className="space-y-6">
        <section aria-labelledby="place-title" className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
          <div role="status" aria-live="polite" aria-atomic="true">
            {left ? (
              <>
                <h2 id="place-title" className="text-2xl font-bold">
                  You left the line
                </h2>
                <p className="mt-2 text-slate-700">
                  Your place was given up. You can join again at the back of the line.
                </p>
                <Button className="mt-4" onClick={rejoin}>
                  Join again
                </Button>
              </>
            ) : !status || status.state === 'none' ? (
              <>
                <h2 id="place-title" className="text-2xl font-bold">
                  Checking for a line…
                </h2>
                <p className="mt-2 text-slate-700">
                  If there is no one ahead of you, you go straight to seat selection.
                </p>
              </>
            ) : status.state === 'not-open' ? (
              <>
                <h2 id="place-title" className="text-2xl font-bold">
                  The waiting room opens {instant(status.opensAt)}
                </h2>
                <p className="mt-2 text-slate-700">
                  Opens in{' '}
                  <span className="font-semibold tabular-nums">
                    {formatCountdown(Date.parse(status.opensAt) - serverNow)}
                  </span>
                  . Everyone who arrives between then and the on-sale at {instant(status.onSaleAt)} gets a place drawn
                  at random, so there is no need to be first.
                </p>
              </>
            ) : status.state === 'prequeue' ? (
              <>
                <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">Pre-queue</p>
                <h2 id="place-title" className="mt-1 text-2xl font-bold">
                  You&apos;re in. Places are drawn when sales open.
                </h2>
                <p className="mt-2 text-slate-700">
                  Sales open in{' '}
                  <span className="font-semibold tabular-nums">
                    {formatCountdown(Date.parse(status.onSaleAt) - serverNow)}
                  </span>{' '}
                  ({instant(status.onSaleAt)}). Everyone in the pre-queue then gets a random place in line, whenever
                  they arrived. You can close this page and come back before then.
                </p>
                <p className="mt-3 text-sm text-slate-600">
                  {n(status.prequeue)} {status.prequeue === 1 ? 'person' : 'people'} in the pre-queue so far.
                </p>
              </>
            ) : status.state === 'waiting' && status.position !== null ? (
              <>
                <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">You are in line</p>
                <h2 id="place-title" className="mt-1 text-3xl font-bold">
                  Number{' '}
                  <span className="tabular-nums" data-testid="position">
                    {n(status.position)}
                  </span>
                </h2>
                <p className="mt-1 text-slate-700">
                  {status.ahead === 0
                    ? 'You are next.'
                    : `${n(status.ahead ?? 0)} ${status.ahead === 1 ? 'person' : 'people'} ahead of you`}
                  {status.ticket === null && ' (your place was drawn in the pre-queue)'}
                </p>
                {firstPosition && firstPosition > 1 && (
                  <div className="mt-4">
                    <div
                      role="progressbar"
                      aria-label="Progress through the line"
                      aria-valuemin={0}
                      aria-valuemax={firstPosition - 1}
                      aria-valuenow={firstPosition - status.position}
                      className="h-2 overflow-hidden rounded-full bg-slate-100"
                    >
                      <div
                        className="h-full rounded-full bg-brand-600 transition-all"
                        style={{
                          width: `${Math.round(((firstPosition - status.position) / (firstPosition - 1)) * 100)}%`,
                        }}
                      />
                    </div>
                  </div>
                )}
                {status.eta && (
                  <p className="mt-4 text-slate-800">
                    Estimated wait: <strong>{formatWait(status.eta.seconds)}</strong>
                    <span className="block text-sm text-slate-600">
                      {status.eta.basis === 'measured'
                        ? `${pace(status.eta.ratePerMinute)}, from how fast the line moved in the last few minutes.`
                        : `${pace(status.eta.ratePerMinute)}, from the event's settings; it gets more precise once the line moves.`}
                    </span>
                  </p>
                )}
                {status.eta?.waitsForShoppers && (
                  <p
                    className="mt-3 rounded-lg bg-amber-50 p-3 text-sm text-amber-950 ring-1 ring-inset ring-amber-200"
                    data-testid="shoppers-full"
                  >
                    {status.capacity === 1
                      ? 'The one shopping place is taken.'
                      : `All ${n(status.capacity)} shopping places are taken.`}{' '}
                    You go in when a shopper ahead finishes or their time runs out (shoppers get{' '}
                    {countOf(status.shoppingWindowMinutes, 'minute', 'minutes', locale)}), so the wait depends on them.
                  </p>
                )}
                {/* Far back in a long line the page asks less often (each ask costs the server); say when it last did. */}
                <p className="mt-3 text-sm text-slate-600" data-testid="checked">
                  Position updated {formatAgo(serverNow - Date.parse(status.serverTime))}.
                </p>
              </>
            ) : status.state === 'admitted' && status.admission ? (
              <>
                <h2 id="place-title" className="text-2xl font-bold">
                  It&apos;s your turn
                </h2>
                <p className="mt-2 text-slate-700">
                  Taking you to seat selection… You can shop until {instant(status.admission.until)}.
                </p>
                {/* A plain link: a full navigation past any prefetch the client router made before admission. */}
                <a className={buttonClass('primary', 'mt-4')} href={status.admission.redirectTo}>
                  Choose seats
                </a>
              </>
            ) : (
              <>
                <h2 id="place-title" className="text-2xl font-bold">
                  This event is no longer on sale
                </h2>
                <p className="mt-2 text-slate-700">It has started, was cancelled, or sales have closed.</p>
              </>
            )}
          </div>
          {problem && (
            <p
              role="alert"
              className={`mt-4 rounded-lg p-3 text-sm ${problem.kind === 'error' ? 'bg-red-50 text-red-800' : 'bg-amber-50 text-amber-900'}`}
            >
              {problem.message}
            </p>
          )}
          {status && ['waiting', 'prequeue'].includes(status.state) && !left && (
            <div className="mt-6 flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 pt-4 text-sm text-slate-600">
              <p>Refreshing or coming back keeps your place. This page moves on by itself when it is your turn.</p>
              <Button variant="ghost" onClick={() => void leave()}>
                Leave the line
              </Button>
            </div>
          )}
        </section>
        {status && (
          <FairnessPanel fairness={status.fairness} entryId={status.entryId} formatInstant={instant} locale={locale} />
        )}
      </div>
      <div className="space-y-6">
        {status && (
          <SeatsLeft
            seats={status.seats}
            state={status.state}
            ahead={status.ahead}
            prequeue={status.prequeue}
            locale={locale}
          />
        )}
      </div>
    </div>
  );
}
