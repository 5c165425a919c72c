'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { Button, buttonClass } from '@/components/ui/button';
import {
  TEST_PAYMENT_METHODS,
  testPaymentMethodsFor,
  type CheckoutResult,
  type OrderDetails,
} from '@/lib/contracts/checkout';
import type { ActionResult } from '@/lib/contracts/action-result';
import type { Problem } from '@/lib/errors';
import { formatMoney } from '@/lib/format';
import { HoldCountdown } from '@/components/hold-countdown/hold-countdown';
import { rememberPaid } from './show-order-when-paid';
import { StripePaymentField, type StripePaymentHandle } from './stripe-payment-field';

type PayAction = (
  holdId: string,
  paymentMethodId: string,
  idempotencyKey: string,
  discountCode?: string,
) => Promise<ActionResult<CheckoutResult>>;

export type PaymentFormConfig =
  | { kind: 'test-cards'; provider: 'simulated' | 'stripe' }
  | { kind: 'stripe-elements'; publishableKey: string; testMode: boolean }
  | { kind: 'unavailable' };

type Props = {
  holdId: string;
  eventId: string;
  expiresAt: string;
  serverTime: string;
  totalMinor: number;
  currency: string;
  locale: string;
  paymentForm: PaymentFormConfig;
  pendingOrderId: string | null;
  /** The discount code the page applied (already checked there); sent with the payment, counted with the order. */
  discountCode: string | null;
  pay: PayAction;
};

type Outcome =
  | { kind: 'idle' }
  /** busy: the server turned the payment away for a moment (load shedding) and the page is trying again. */
  | { kind: 'paying'; busy?: boolean }
  | { kind: 'paid'; orderId: string }
  | { kind: 'processing'; orderId: string }
  | { kind: 'declined'; message: string }
  /** The discount code was refused when the order was recorded (used up, withdrawn, expired): no payment was tried. */
  | { kind: 'code_refused'; message: string }
  | { kind: 'expired' }
  | { kind: 'seats_lost'; message: string; orderId: string | null; refund: string | null }
  | { kind: 'blocked'; message: string; orderId: string | null; queueUrl?: string }
  | { kind: 'retry'; message: string };

type Attempt = { key: string; paymentMethodId: string; discountCode?: string | null };
const storageKey = (holdId: string) => `admitone:checkout:${holdId}`;

/**
 * The payment form and every outcome. One idempotency key per attempt, made once and kept (also across a reload,
 * in sessionStorage) until the attempt has a final answer: a double click, a retry after a network error or a
 * reload sends the same key and can never pay twice. A new card after a decline is a new attempt with a new key.
 */
export function CheckoutForm(props: Props) {
  const { holdId, eventId, paymentForm, pay } = props;
  const router = useRouter();
  const [outcome, setOutcome] = useState<Outcome>(
    props.pendingOrderId ? { kind: 'processing', orderId: props.pendingOrderId } : { kind: 'idle' },
  );
  const [method, setMethod] = useState<string>(TEST_PAYMENT_METHODS[0].id);
  const busy = useRef(false);
  const card = useRef<StripePaymentHandle>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const money = (minor: number) => formatMoney(minor, props.currency, props.locale);

  const attemptFor = (paymentMethodId: string): Attempt => {
    const saved = readAttempt(holdId);
    // Another card or another code is another request: it gets its own key.
    if (saved && saved.paymentMethodId === paymentMethodId && (saved.discountCode ?? null) === props.discountCode)
      return saved;
    const fresh = { key: crypto.randomUUID(), paymentMethodId, discountCode: props.discountCode };
    sessionStorage.setItem(storageKey(holdId), JSON.stringify(fresh));
    return fresh;
  };
  const finishAttempt = () => finishAttemptFor(holdId);

  const showProblem = (problem: Problem) => {
    const orderId = typeof problem.orderId === 'string' ? problem.orderId : null;
    switch (problem.code) {
      case 'PAYMENT_DECLINED':
        finishAttempt();
        setOutcome({ kind: 'declined', message: problem.detail });
        router.refresh(); // the hold was extended when payment started: show its new time
        return;
      case 'HOLD_NOT_ACTIVE':
        finishAttempt();
        setOutcome({ kind: 'expired' });
        return;
      case 'SEATS_UNAVAILABLE': {
        finishAttempt();
        const refund = problem.refund as { amountMinor?: number; status?: string } | null | undefined;
        setOutcome({
          kind: 'seats_lost',
          message: problem.detail,
          orderId,
          refund: refund?.amountMinor ? money(refund.amountMinor) : null,
        });
        return;
      }
      case 'CONFLICT':
        finishAttempt();
        setOutcome({ kind: 'blocked', message: problem.detail, orderId });
        return;
      case 'QUEUE_TOKEN_REQUIRED':
        finishAttempt();
        setOutcome({
          kind: 'blocked',
          message: problem.detail,
          orderId: null,
          queueUrl: typeof problem.queueUrl === 'string' ? problem.queueUrl : `/events/${eventId}/queue`,
        });
        return;
      case 'DISCOUNT_CODE_INVALID':
        // Used up or withdrawn since the page showed it: nothing was charged; the page shows the code's state again
        // and prices the seats without it. Not "declined": the card was never asked.
        finishAttempt();
        setOutcome({ kind: 'code_refused', message: `${problem.detail} Nothing was charged.` });
        router.refresh();
        return;
      case 'IDEMPOTENCY_KEY_REUSED':
        finishAttempt();
        setOutcome({ kind: 'retry', message: 'Something changed since your last try. Press Pay again.' });
        return;
      default:
        // Unknown outcome (a timeout, the bank not answering): keep the key, so pressing Pay again is safe.
        setOutcome({ kind: 'retry', message: `${problem.detail} You will not be charged twice.` });
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy.current) return;
    busy.current = true;
    setOutcome({ kind: 'paying' });
    try {
      let paymentMethodId = method;
      if (paymentForm.kind === 'stripe-elements') {
        const saved = readAttempt(holdId);
        // A card, or Apple Pay / Google Pay: either way a PaymentMethod id, paid through the same path below.
        const made =
          saved && card.current?.unchanged()
            ? { id: saved.paymentMethodId }
            : await card.current?.createPaymentMethod();
        if (!made || 'error' in made) {
          setOutcome({ kind: 'declined', message: made?.error ?? 'Enter your payment details.' });
          return;
        }
        paymentMethodId = made.id;
      }
      const attempt = attemptFor(paymentMethodId);
      for (let tries = 0; ; tries++) {
        let answer: Awaited<ReturnType<PayAction>>;
        try {
          answer = await pay(holdId, attempt.paymentMethodId, attempt.key, attempt.discountCode ?? undefined);
        } catch {
          setOutcome({
            kind: 'retry',
            message:
              'We could not reach AdmitOne. Check your connection and press Pay again: you will not be charged twice.',
          });
          return;
        }
        if (!answer.ok && answer.problem.code === 'IDEMPOTENCY_KEY_IN_PROGRESS' && tries < 10) {
          await new Promise((r) => setTimeout(r, 1000));
          continue;
        }
        // Too many people paying at this moment: nothing was charged; try again by ourselves, with the same key.
        if (!answer.ok && answer.problem.code === 'SERVICE_UNAVAILABLE' && tries < 30) {
          setOutcome({ kind: 'paying', busy: true });
          const seconds = typeof answer.problem.retryAfter === 'number' ? answer.problem.retryAfter : 1;
          await new Promise((r) => setTimeout(r, seconds * 1000 * (0.8 + 0.4 * Math.random())));
          continue;
        }
        if (answer.ok) {
          finishAttempt();
          if (answer.value.outcome === 'paid') {
            setOutcome({ kind: 'paid', orderId: answer.value.orderId });
            rememberPaid(holdId, answer.value.orderId);
            router.push(`/orders/${answer.value.orderId}?placed=1`);
          } else {
            setOutcome({ kind: 'processing', orderId: answer.value.orderId });
          }
        } else {
          showProblem(answer.problem);
        }
        return;
      }
    } finally {
      busy.current = false;
    }
  };

  // A slow payment: ask the order until the bank has answered.
  const processingOrder = outcome.kind === 'processing' ? outcome.orderId : null;
  useEffect(() => {
    if (!processingOrder) return;
    let stopped = false;
    const poll = async () => {
      while (!stopped) {
        await new Promise((r) => setTimeout(r, 1500));
        try {
          const response = await fetch(`/api/orders/${processingOrder}`, { cache: 'no-store' });
          if (!response.ok) continue;
          const order = (await response.json()) as OrderDetails;
          if (order.status === 'paid') {
            finishAttemptFor(holdId);
            setOutcome({ kind: 'paid', orderId: order.id });
            rememberPaid(holdId, order.id);
            router.push(`/orders/${order.id}?placed=1`);
            return;
          }
          if (order.status === 'failed') {
            finishAttemptFor(holdId);
            const refund = order.refunds[0];
            setOutcome(
              order.failureCode === 'SEATS_TAKEN'
                ? {
                    kind: 'seats_lost',
                    message: order.failureMessage ?? '',
                    orderId: order.id,
                    refund: refund ? formatMoney(refund.amountMinor, order.currency, props.locale) : null,
                  }
                : { kind: 'declined', message: order.failureMessage ?? 'Your card was declined. Try another card.' },
            );
            return;
          }
        } catch {
          // Offline for a moment: keep asking.
        }
      }
    };
    void poll();
    return () => {
      stopped = true;
    };
  }, [processingOrder, holdId, router, props.locale]);

  useEffect(() => {
    if (['declined', 'code_refused', 'expired', 'seats_lost', 'blocked', 'retry'].includes(outcome.kind))
      alertRef.current?.focus();
  }, [outcome]);

  const onExpired = useCallback(
    () =>
      setOutcome((o) =>
        o.kind === 'idle' || o.kind === 'declined' || o.kind === 'code_refused' || o.kind === 'retry'
          ? { kind: 'expired' }
          : o,
      ),
    [],
  );

  if (outcome.kind === 'expired') {
    return (
      <div ref={alertRef} tabIndex={-1} role="alert" className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-red-200">
        <h2 className="text-lg font-bold text-red-900">Your hold has ended</h2>
        <p className="mt-2 text-slate-700">The seats were released so other fans can buy them. Nothing was charged.</p>
        <Link href={`/events/${eventId}/seats`} className={buttonClass('primary', 'mt-4')}>
          Back to the seat map
        </Link>
      </div>
    );
  }
  if (outcome.kind === 'seats_lost') {
    return (
      <div
        ref={alertRef}
        tabIndex={-1}
        role="alert"
        className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-amber-300"
      >
        <h2 className="text-lg font-bold text-amber-900">Payment received, but the seats were taken</h2>
        <p className="mt-2 text-slate-700">{outcome.message}</p>
        <p className="mt-2 text-slate-700">
          {outcome.refund ? (
            <>
              We refunded <strong>{outcome.refund}</strong> to your card.
            </>
          ) : (
            'We are refunding your payment in full.'
          )}{' '}
          Banks usually show it within 5 to 10 business days. We sent you an email with the details.
        </p>
        <div className="mt-4 flex flex-wrap gap-3">
          <Link href={`/events/${eventId}/seats`} className={buttonClass('primary')}>
            Choose other seats
          </Link>
          {outcome.orderId && (
            <Link href={`/orders/${outcome.orderId}`} className={buttonClass('secondary')}>
              See the refund
            </Link>
          )}
        </div>
      </div>
    );
  }
  if (outcome.kind === 'paid') {
    return (
      <div role="status" className="rounded-xl bg-emerald-50 p-6 text-emerald-900 ring-1 ring-emerald-200">
        <h2 className="text-lg font-bold">Paid. Thank you!</h2>
        <p className="mt-1">Opening your tickets…</p>
        <Link href={`/orders/${outcome.orderId}?placed=1`} className="mt-2 inline-block font-semibold underline">
          Go to your order
        </Link>
      </div>
    );
  }
  if (outcome.kind === 'processing') {
    return (
      <div role="status" className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <h2 className="text-lg font-bold">Waiting for your bank…</h2>
        <p className="mt-2 text-slate-700">
          Your bank is confirming the payment. This page moves on by itself; you can also find the order under My
          tickets.
        </p>
        <p aria-hidden className="mt-4 h-1.5 overflow-hidden rounded bg-slate-100">
          <span className="block h-full w-1/3 animate-pulse rounded bg-brand-600" />
        </p>
      </div>
    );
  }

  const paying = outcome.kind === 'paying';
  return (
    <form
      onSubmit={submit}
      className="space-y-5 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200"
      aria-busy={paying}
      noValidate
    >
      <Countdown
        key={`${props.expiresAt}|${props.serverTime}`}
        expiresAt={props.expiresAt}
        serverTime={props.serverTime}
        onExpire={onExpired}
      />

      {(outcome.kind === 'declined' ||
        outcome.kind === 'code_refused' ||
        outcome.kind === 'retry' ||
        outcome.kind === 'blocked') && (
        <div
          ref={alertRef}
          tabIndex={-1}
          role="alert"
          className="rounded-lg bg-red-50 p-4 text-sm text-red-900 ring-1 ring-red-200"
        >
          <p className="font-semibold">
            {outcome.kind === 'declined'
              ? 'Payment declined'
              : outcome.kind === 'code_refused'
                ? 'The discount code could not be used'
                : outcome.kind === 'blocked'
                  ? 'This hold cannot be paid now'
                  : 'Payment not confirmed'}
          </p>
          <p className="mt-1">{outcome.message}</p>
          {outcome.kind === 'declined' && <p className="mt-1 font-medium">Your seats are still held for you.</p>}
          {outcome.kind === 'code_refused' && (
            <p className="mt-1 font-medium">
              Your seats are still held for you. The price is now without the code: pay it, or try another code above.
            </p>
          )}
          {outcome.kind === 'blocked' && outcome.orderId && (
            <Link href={`/orders/${outcome.orderId}`} className="mt-1 inline-block font-semibold underline">
              See that order
            </Link>
          )}
          {outcome.kind === 'blocked' && outcome.queueUrl && (
            <Link href={outcome.queueUrl} className="mt-1 inline-block font-semibold underline">
              Go to the waiting room
            </Link>
          )}
        </div>
      )}

      {paymentForm.kind === 'test-cards' && (
        <fieldset>
          <legend className="text-sm font-semibold text-slate-900">Test card</legend>
          <div className="mt-2 grid gap-2">
            {testPaymentMethodsFor(paymentForm.provider).map((pm) => (
              <label
                key={pm.id}
                className="flex min-h-11 cursor-pointer items-center gap-3 rounded-lg px-3 py-2 ring-1 ring-slate-200 has-[:checked]:bg-brand-50 has-[:checked]:ring-brand-600"
              >
                <input
                  type="radio"
                  name="paymentMethod"
                  value={pm.id}
                  checked={method === pm.id}
                  onChange={() => setMethod(pm.id)}
                  className="h-4 w-4 accent-brand-600"
                />
                <span className="min-w-0 text-sm">
                  <span className="font-medium">{pm.label}</span> <span className="text-slate-600">— {pm.outcome}</span>
                  <span className="block font-mono text-xs text-slate-700 [overflow-wrap:anywhere]">{pm.id}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      )}
      {paymentForm.kind === 'stripe-elements' && (
        <StripePaymentField
          ref={card}
          publishableKey={paymentForm.publishableKey}
          amountMinor={props.totalMinor}
          currency={props.currency}
        />
      )}
      {paymentForm.kind === 'unavailable' && (
        <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-900">
          Card payments are not set up on this server (a Stripe publishable key is missing). Nothing can be charged.
        </p>
      )}

      {outcome.kind === 'paying' && outcome.busy && (
        <p role="status" className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200">
          Many people are paying right now. Nothing has been charged yet; this page is trying again by itself. Your
          seats stay held until the countdown ends.
        </p>
      )}
      <Button type="submit" className="w-full text-base" disabled={paying || paymentForm.kind === 'unavailable'}>
        {paying ? 'Paying…' : `Pay ${money(props.totalMinor)}`}
      </Button>
      <p className="text-center text-xs text-slate-600">
        Pressing Pay twice, or again after a network error, never charges you twice.
      </p>
    </form>
  );
}

/** The shared countdown, told when this page's server time arrived (a refresh after a decline brings a new one). */
function Countdown(props: { expiresAt: string; serverTime: string; onExpire: () => void }) {
  const [receivedAt] = useState(() => Date.now());
  return <HoldCountdown {...props} receivedAt={receivedAt} />;
}

function readAttempt(holdId: string): Attempt | null {
  try {
    const raw = sessionStorage.getItem(storageKey(holdId));
    const parsed = raw ? (JSON.parse(raw) as Partial<Attempt>) : null;
    return parsed && typeof parsed.key === 'string' && typeof parsed.paymentMethodId === 'string'
      ? { key: parsed.key, paymentMethodId: parsed.paymentMethodId }
      : null;
  } catch {
    return null;
  }
}

function finishAttemptFor(holdId: string) {
  sessionStorage.removeItem(storageKey(holdId));
}
