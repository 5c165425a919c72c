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

export function contentSecurityPolicy({ nonce, development, https, stripe }: CspOptions): string {
  const stripeJs = stripe ? ' https://js.stripe.com' : '';
  return [
    "default-src 'self'",
    // React needs eval only in development, for its error overlays.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${stripeJs}${development ? " 'unsafe-eval'" : ''}`,
    // Style attributes (positions, tier colours) are not scripts; allowing them inline keeps the map simple.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${stripe ? ' https://api.stripe.com' : ''}${development ? ' ws:' : ''}`,
    `frame-src ${stripe ? 'https://js.stripe.com https://hooks.stripe.com' : "'none'"}`,
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
