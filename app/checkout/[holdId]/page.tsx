import type { Metadata } from 'next';
import Link from 'next/link';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { CheckoutForm } from '@/components/checkout/checkout-form';
import { OrderSummary } from '@/components/checkout/order-summary';
import { ResumeHold } from '@/components/checkout/resume-hold';
import { ShowOrderWhenPaid } from '@/components/checkout/show-order-when-paid';
import { TestModeNotice } from '@/components/checkout/test-mode-notice';
import { DiscountCodeForm } from '@/components/checkout/discount-code-form';
import { typedDiscountCodeSchema } from '@/lib/contracts/checkout';
import { enforceRateLimit } from '@/lib/ratelimit/enforce-rate-limit';
import { clientIp } from '@/lib/ratelimit/client-ip';
import { getDb } from '@/db/client';
import { requireViewerPage } from '@/lib/auth/page-guards';
import { getCheckoutView } from '@/lib/checkout/get-checkout-view';
import { appUrl } from '@/lib/env';
import { isAppError } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { loadOrNotFound } from '@/lib/http/load-or-not-found';
import { requestLocale } from '@/lib/locale.server';
import { assertAdmitted } from '@/lib/queue/assert-admitted';
import { payAction } from './actions';

export const metadata: Metadata = { title: 'Checkout' };

type Props = { params: Promise<{ holdId: string }>; searchParams: Promise<{ code?: string | string[] }> };

export default async function CheckoutPage({ params, searchParams }: Props) {
  const { holdId } = await params;
  const viewer = await requireViewerPage(`/checkout/${holdId}`);
  const now = new Date();
  const typed = [(await searchParams).code].flat()[0]?.trim() ?? '';
  const code = typed ? typedDiscountCodeSchema.safeParse(typed) : null;
  // Each code tried counts against the buyer's and the address's budget: codes cannot be guessed by brute force.
  let limited: string | null = null;
  if (code) {
    try {
      await enforceRateLimit('discount-code', { accountId: viewer.id, ip: clientIp(await headers()) });
    } catch (error) {
      if (!isAppError(error) || error.code !== 'RATE_LIMITED') throw error;
      limited = `${error.message} Try the code again in a few minutes.`;
    }
  }
  const view = await loadOrNotFound(async () =>
    getCheckoutView(await getDb(), holdId, viewer, now, code?.success && !limited ? { discountCode: code.data } : {}),
  );
  const discount =
    code && (!code.success || limited)
      ? {
          code: typed.slice(0, 32),
          applied: false,
          problem: { message: limited ?? 'A discount code is 3 to 32 letters, digits or dashes.' },
        }
      : view.discount;
  if (view.paidOrderId) redirect(`/orders/${view.paidOrderId}`);
  // The gate let this session in with some admission; paying needs one for this hold's event. Without it (the
  // shopping window ended, or this browser got its admission for another event) the owner may resume the hold here.
  let admitted = true;
  if (view.hold.status === 'active' && !view.pendingOrderId) {
    try {
      await assertAdmitted(
        new Request(`${appUrl()}/checkout/${holdId}`, { headers: await headers() }),
        view.hold.eventId,
        viewer,
      );
    } catch (error) {
      if (!isAppError(error) || error.code !== 'QUEUE_TOKEN_REQUIRED') throw error;
      admitted = false;
    }
  }
  const locale = await requestLocale();
  const { hold, event } = view;
  const ended = hold.status !== 'active' && !view.pendingOrderId;

  return (
    <div className="mx-auto max-w-5xl px-4 py-8">
      <nav aria-label="Breadcrumb" className="mb-4 text-sm text-slate-600">
        <Link href={`/events/${event.id}`} className="hover:underline">
          {event.name}
        </Link>{' '}
        / Checkout
      </nav>
      <ShowOrderWhenPaid holdId={hold.id} />
      <h1 className="text-3xl font-bold tracking-tight">Checkout</h1>
      <p className="mt-1 text-slate-700">
        {event.name} ·{' '}
        <time dateTime={event.startsAt.toISOString()}>{formatDateTime(event.startsAt, event.timezone, locale)}</time> ·{' '}
        {event.venueName}, {event.city}
      </p>

      <div className="mt-6 grid gap-6 lg:grid-cols-[1fr_380px]">
        <div className="min-w-0 space-y-6">
          <OrderSummary
            seats={hold.seats}
            currency={hold.currency}
            feePerTicketMinor={hold.feePerTicketMinor}
            amounts={view.amounts}
            locale={locale}
          />
          {!ended && !view.pendingOrderId && <DiscountCodeForm discount={discount} action={`/checkout/${hold.id}`} />}
          <p className="text-sm text-slate-600">{event.refundPolicy}</p>
        </div>
        <div className="min-w-0 space-y-4">
          {!ended && view.paymentForm.kind === 'test-cards' && <TestModeNotice provider={view.paymentForm.provider} />}
          {view.paymentForm.kind === 'stripe-elements' && view.paymentForm.testMode && (
            <p className="rounded-lg bg-amber-50 p-3 text-sm text-amber-950">
              Test mode: use Stripe’s test card 4242 4242 4242 4242; no real money is charged.
            </p>
          )}
          {ended ? (
            <div role="alert" className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-red-200">
              <h2 className="text-lg font-bold text-red-900">Your hold has ended</h2>
              <p className="mt-2 text-slate-700">
                {hold.status === 'released'
                  ? 'You released these seats.'
                  : 'The time to pay ran out and the seats were released so other fans can buy them.'}{' '}
                Nothing was charged.
              </p>
              <Link
                href={`/events/${event.id}/seats`}
                className="mt-4 inline-flex min-h-11 items-center rounded-lg bg-brand-600 px-4 text-sm font-semibold text-white hover:bg-brand-700"
              >
                Back to the seat map
              </Link>
            </div>
          ) : !admitted ? (
            <div className="space-y-3">
              <p className="text-sm text-slate-700">
                Your seats are still held. This browser has no turn in the waiting room for this event, so go on with
                your hold here first.
              </p>
              <ResumeHold
                hold={{
                  id: hold.id,
                  eventName: event.name,
                  seatCount: hold.seats.length,
                  expiresAt: hold.expiresAt,
                  serverTime: hold.serverTime,
                }}
                headingLevel={2}
              />
            </div>
          ) : (
            <CheckoutForm
              holdId={hold.id}
              eventId={event.id}
              expiresAt={hold.expiresAt}
              serverTime={hold.serverTime}
              totalMinor={view.amounts.totalMinor}
              currency={hold.currency}
              locale={locale}
              paymentForm={view.paymentForm}
              pendingOrderId={view.pendingOrderId}
              discountCode={view.discount?.applied ? view.discount.code : null}
              pay={payAction}
            />
          )}
        </div>
      </div>
    </div>
  );
}
