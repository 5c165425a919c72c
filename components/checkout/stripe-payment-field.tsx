'use client';

import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';

/**
 * The few Stripe.js calls this form makes (the full types would need @stripe/stripe-js): Elements made without an
 * intent (`mode: 'payment'`, the deferred-intent flow), the Payment Element, and a PaymentMethod made from it.
 */
export type StripeElementsOptions = {
  mode: 'payment';
  /** The order's total in the currency's minor units, as the server priced it (what a wallet sheet shows). */
  amount: number;
  currency: string;
  /** The PaymentMethod is made here and the PaymentIntent created and confirmed by our server. */
  paymentMethodCreation: 'manual';
  paymentMethodTypes: string[];
  appearance?: object;
};
type StripeElements = {
  create(type: 'payment', options?: object): StripePaymentElement;
  update(options: Partial<Pick<StripeElementsOptions, 'amount' | 'currency'>>): void;
  submit(): Promise<{ error?: { message?: string } }>;
};
type StripePaymentElement = {
  mount(node: HTMLElement): void;
  destroy(): void;
  on(event: 'change', handler: () => void): void;
  on(event: 'ready', handler: () => void): void;
  on(event: 'loaderror', handler: (e: { error?: { message?: string } }) => void): void;
};
type StripeJs = {
  elements(options: StripeElementsOptions): StripeElements;
  createPaymentMethod(input: {
    elements: StripeElements;
  }): Promise<{ paymentMethod?: { id: string }; error?: { message?: string } }>;
};
type StripeFactory = (publishableKey: string) => StripeJs;

export type StripePaymentHandle = {
  /**
   * Turns what the buyer chose (a card typed in, or Apple Pay / Google Pay, whose sheet opens here) into a
   * PaymentMethod id; card numbers never reach our server. Call it straight from the Pay press: a wallet sheet may
   * only open in answer to the buyer's gesture, so `elements.submit()` runs before anything is awaited.
   */
  createPaymentMethod(): Promise<{ id: string } | { error: string }>;
  /** True while nothing was changed since the last PaymentMethod was made (a retry reuses it). */
  unchanged(): boolean;
};

let loading: Promise<StripeFactory> | undefined;
function loadStripe(): Promise<StripeFactory> {
  loading ??= new Promise((resolve, reject) => {
    const existing = (window as { Stripe?: StripeFactory }).Stripe;
    if (existing) return resolve(existing);
    const script = document.createElement('script');
    // Always from js.stripe.com, never bundled (PCI); lib/security/csp.ts allows it on pages when a key is set.
    script.src = 'https://js.stripe.com/v3';
    script.async = true;
    script.onload = () =>
      (window as { Stripe?: StripeFactory }).Stripe
        ? resolve((window as { Stripe?: StripeFactory }).Stripe!)
        : reject(new Error('Stripe.js did not load'));
    script.onerror = () => {
      loading = undefined;
      reject(new Error('Stripe.js could not be loaded'));
    };
    document.head.appendChild(script);
  });
  return loading;
}

type Props = {
  publishableKey: string;
  /** The total to pay in the currency's minor units, exactly as the server computed it (the order's total). */
  amountMinor: number;
  currency: string;
  ref: Ref<StripePaymentHandle>;
};

/**
 * Stripe's Payment Element, used when a publishable key is configured: cards, and Apple Pay or Google Pay where the
 * browser and device offer them (Stripe decides; `wallets: 'auto'`). Decision 049: Elements without an intent, the
 * PaymentMethod made here, the PaymentIntent created and confirmed by our checkout with the order id as its
 * idempotency key, as for the test cards. Cards only (wallets carry cards): our server confirms without redirects.
 */
export function StripePaymentField({ publishableKey, amountMinor, currency, ref }: Props) {
  const mountRef = useRef<HTMLDivElement>(null);
  const state = useRef<{ stripe?: StripeJs; elements?: StripeElements; dirty: boolean }>({ dirty: true });
  const amount = useRef({ amount: amountMinor, currency: currency.toLowerCase() });
  const [message, setMessage] = useState<string | null>('Loading the secure payment form…');

  useEffect(() => {
    let cancelled = false;
    let element: StripePaymentElement | undefined;
    loadStripe()
      .then((factory) => {
        if (cancelled || !mountRef.current) return;
        const stripe = factory(publishableKey);
        const elements = stripe.elements({
          mode: 'payment',
          ...amount.current,
          paymentMethodCreation: 'manual',
          paymentMethodTypes: ['card'],
          appearance: { theme: 'stripe', variables: { borderRadius: '8px' } },
        });
        element = elements.create('payment', {
          layout: 'tabs',
          wallets: { applePay: 'auto', googlePay: 'auto' },
        });
        element.mount(mountRef.current);
        element.on('change', () => {
          state.current.dirty = true;
        });
        element.on('ready', () => setMessage(null));
        element.on('loaderror', (e) =>
          setMessage(e.error?.message ?? 'The payment form could not be loaded. Reload the page.'),
        );
        state.current = { stripe, elements, dirty: true };
      })
      .catch(() => setMessage('The payment form could not be loaded. Check your connection and reload the page.'));
    return () => {
      cancelled = true;
      element?.destroy();
      state.current = { dirty: true };
    };
  }, [publishableKey]);

  // A discount code applied or refused changes the total: the wallet sheet must show what the server will charge.
  useEffect(() => {
    const next = { amount: amountMinor, currency: currency.toLowerCase() };
    if (next.amount === amount.current.amount && next.currency === amount.current.currency) return;
    amount.current = next;
    state.current.dirty = true;
    state.current.elements?.update(next);
  }, [amountMinor, currency]);

  useImperativeHandle(ref, () => ({
    unchanged: () => !state.current.dirty,
    async createPaymentMethod() {
      const { stripe, elements } = state.current;
      if (!stripe || !elements) return { error: 'The payment form is not ready yet.' };
      // First, before any await: checks the form and opens the wallet sheet while the Pay press still counts.
      const submitted = await elements.submit();
      if (submitted.error) return { error: submitted.error.message ?? 'Check your payment details.' };
      const result = await stripe.createPaymentMethod({ elements });
      if (!result.paymentMethod) return { error: result.error?.message ?? 'Check your payment details.' };
      state.current.dirty = false;
      return { id: result.paymentMethod.id };
    },
  }));

  return (
    <div>
      <p id="payment-label" className="text-sm font-semibold text-slate-900">
        Payment
      </p>
      <div ref={mountRef} role="group" aria-labelledby="payment-label" className="mt-2 min-h-11" />
      {message && (
        <p className="mt-1 text-sm text-slate-700" role="status">
          {message}
        </p>
      )}
    </div>
  );
}
