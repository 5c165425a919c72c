'use client';

import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';

/** The few Stripe.js calls this form makes (the full types would need @stripe/stripe-js). */
type StripeJs = {
  elements(): { create(type: 'card', options?: object): StripeCardElement };
  createPaymentMethod(input: {
    type: 'card';
    card: StripeCardElement;
  }): Promise<{ paymentMethod?: { id: string }; error?: { message?: string } }>;
};
type StripeCardElement = {
  mount(node: HTMLElement): void;
  destroy(): void;
  on(event: 'change', handler: (e: { error?: { message?: string } }) => void): void;
};
type StripeFactory = (publishableKey: string) => StripeJs;

export type StripeCardHandle = {
  /** Turns the card typed in into a PaymentMethod id (the card number never reaches our server). */
  createPaymentMethod(): Promise<{ id: string } | { error: string }>;
  /** True while the card was not edited since the last PaymentMethod was made (a retry reuses it). */
  unchanged(): boolean;
};

let loading: Promise<StripeFactory> | undefined;
function loadStripe(): Promise<StripeFactory> {
  loading ??= new Promise((resolve, reject) => {
    const existing = (window as { Stripe?: StripeFactory }).Stripe;
    if (existing) return resolve(existing);
    const script = document.createElement('script');
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

/** Stripe Elements' card field, used when a publishable key is configured. */
export function StripeCardField({ publishableKey, ref }: { publishableKey: string; ref: Ref<StripeCardHandle> }) {
  const mountRef = useRef<HTMLDivElement>(null);
  const state = useRef<{ stripe?: StripeJs; card?: StripeCardElement; dirty: boolean }>({ dirty: true });
  const [message, setMessage] = useState<string | null>('Loading the secure card field…');

  useEffect(() => {
    let cancelled = false;
    loadStripe()
      .then((factory) => {
        if (cancelled || !mountRef.current) return;
        const stripe = factory(publishableKey);
        const card = stripe.elements().create('card', { hidePostalCode: true });
        card.mount(mountRef.current);
        card.on('change', (e) => {
          state.current.dirty = true;
          setMessage(e.error?.message ?? null);
        });
        state.current = { stripe, card, dirty: true };
        setMessage(null);
      })
      .catch(() => setMessage('The card field could not be loaded. Check your connection and reload the page.'));
    return () => {
      cancelled = true;
      state.current.card?.destroy();
    };
  }, [publishableKey]);

  useImperativeHandle(ref, () => ({
    unchanged: () => !state.current.dirty,
    async createPaymentMethod() {
      const { stripe, card } = state.current;
      if (!stripe || !card) return { error: 'The card field is not ready yet.' };
      const result = await stripe.createPaymentMethod({ type: 'card', card });
      if (!result.paymentMethod) return { error: result.error?.message ?? 'Check your card details.' };
      state.current.dirty = false;
      return { id: result.paymentMethod.id };
    },
  }));

  return (
    <div>
      <p id="card-label" className="text-sm font-semibold text-slate-900">
        Card
      </p>
      <div
        ref={mountRef}
        role="group"
        aria-labelledby="card-label"
        className="mt-2 min-h-11 rounded-lg border border-slate-300 px-3 py-3"
      />
      {message && (
        <p className="mt-1 text-sm text-slate-700" role="status">
          {message}
        </p>
      )}
    </div>
  );
}
