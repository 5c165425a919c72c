import type { Page } from 'playwright-core';

/**
 * A stand-in for Stripe.js (https://js.stripe.com/v3), served to a browser page by `page.route`: this machine has no
 * internet, and real Stripe.js would talk to real Stripe. It keeps the calls the checkout makes in
 * `window.__stripeStub` (the options given to `stripe.elements()`, every `elements.update()`, how often the form was
 * submitted and a PaymentMethod made) and answers `createPaymentMethod` with `paymentMethodId`, as the Payment Element
 * does once the buyer paid in the Apple Pay or Google Pay sheet. Its "Payment Element" is a frame from js.stripe.com,
 * so the page's Content-Security-Policy is put to the test as by the real one.
 */
export type StripeStubRecord = {
  keys: string[];
  elementsOptions: Record<string, unknown>[];
  elementOptions: Record<string, unknown>[];
  updates: Record<string, unknown>[];
  submits: number;
  paymentMethods: number;
};

const script = (paymentMethodId: string) => `(() => {
  const record = (window.__stripeStub = { keys: [], elementsOptions: [], elementOptions: [], updates: [], submits: 0, paymentMethods: 0 });
  const copy = (o) => JSON.parse(JSON.stringify(o ?? {}));
  window.Stripe = (key) => {
    record.keys.push(key);
    return {
      elements(options) {
        record.elementsOptions.push(copy(options));
        return {
          create(type, options) {
            record.elementOptions.push({ type, ...copy(options) });
            const handlers = {};
            return {
              mount(node) {
                const frame = document.createElement('iframe');
                frame.src = 'https://js.stripe.com/v3/elements-inner-payment-stub.html';
                frame.title = 'Secure payment input frame';
                frame.setAttribute('allow', 'payment *');
                frame.style.cssText = 'display:block;width:100%;height:150px;border:0';
                frame.onload = () => (handlers.ready ?? []).forEach((h) => h({ elementType: type }));
                node.appendChild(frame);
              },
              destroy() {},
              on(event, handler) {
                (handlers[event] ??= []).push(handler);
              },
            };
          },
          update(options) {
            record.updates.push(copy(options));
          },
          async submit() {
            record.submits++;
            return {};
          },
        };
      },
      async createPaymentMethod() {
        record.paymentMethods++;
        return { paymentMethod: { id: ${JSON.stringify(paymentMethodId)}, object: 'payment_method', type: 'card' } };
      },
    };
  };
})();`;

const frame = `<!doctype html><html><head><meta charset="utf-8"><style>
  body { font: 14px system-ui, sans-serif; margin: 0; color: #1e293b; }
  .tabs { display: flex; gap: 8px; }
  .tab { flex: 1; border: 1px solid #cbd5e1; border-radius: 8px; padding: 10px; }
  .tab.on { border-color: #0f172a; box-shadow: 0 0 0 1px #0f172a; font-weight: 600; }
  p { margin: 10px 2px 0; color: #475569; font-size: 12px; }
</style></head><body>
  <div class="tabs"><div class="tab">Card</div><div class="tab on"> Apple Pay</div><div class="tab">Google Pay</div></div>
  <p>Apple Pay selected. Another step will appear to complete your purchase securely.</p>
  <p>(A stand-in for Stripe's Payment Element, served by the test.)</p>
</body></html>`;

/** Serves the stand-in for every js.stripe.com request of the page's context. */
export async function serveStripeJsStub(page: Page, paymentMethodId: string): Promise<void> {
  await page.context().route('https://js.stripe.com/**', (route) => {
    const url = new URL(route.request().url());
    if (url.pathname.endsWith('.html'))
      return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: frame });
    return route.fulfill({ status: 200, contentType: 'application/javascript', body: script(paymentMethodId) });
  });
}

/** What the stand-in recorded so far. */
export const stripeStubRecord = (page: Page) =>
  page.evaluate(() => (window as unknown as { __stripeStub: StripeStubRecord }).__stripeStub);
