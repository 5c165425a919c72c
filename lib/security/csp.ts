/**
 * The Content-Security-Policy of every page, with a fresh nonce per request: Next applies the nonce to its own
 * inline scripts when it finds this header on the request, so no script runs without it ('strict-dynamic' lets the
 * scripts it loads load theirs). Web APIs only: it runs in the Edge middleware.
 */
export type CspOptions = { nonce: string; development: boolean; https: boolean; stripe: boolean };

export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}

/**
 * What Stripe.js and the Payment Element need, from Stripe's CSP guide: its script (and the hosts it loads more
 * from), its API, and its frames (the Payment Element's fields, wallet buttons, 3-D Secure pages and the fraud
 * signals frame on m.stripe.network). Apple Pay and Google Pay sheets are the browser's, not frames.
 */
const STRIPE = {
  script: 'https://js.stripe.com https://*.js.stripe.com',
  connect: 'https://api.stripe.com',
  frame: 'https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com https://m.stripe.network',
};

export function contentSecurityPolicy({ nonce, development, https, stripe }: CspOptions): string {
  const stripeJs = stripe ? ` ${STRIPE.script}` : '';
  return [
    "default-src 'self'",
    // React needs eval only in development, for its error overlays.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${stripeJs}${development ? " 'unsafe-eval'" : ''}`,
    // Style attributes (positions, tier colours) are not scripts; allowing them inline keeps the map simple.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${stripe ? ` ${STRIPE.connect}` : ''}${development ? ' ws:' : ''}`,
    `frame-src ${stripe ? STRIPE.frame : "'none'"}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/** One year, including subdomains, only ever sent over HTTPS. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000; includeSubDomains';
