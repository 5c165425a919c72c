import { NextResponse, type NextRequest } from 'next/server';
import { appUrl, env, requiredSecret } from '@/lib/env';
import { AppError, toProblem } from '@/lib/errors';
import { allowedOrigins, crossOriginRefusal, hostMismatchRefusal, SAFE_METHODS } from '@/lib/http/same-origin';
import { admissionKey } from '@/lib/queue/admission-token';
import { gate } from '@/lib/queue/gate';
import { contentSecurityPolicy, newNonce, STRICT_TRANSPORT_SECURITY } from '@/lib/security/csp';

/**
 * The waiting-room gate (docs/decisions/010-edge-gate.md): seat selection and checkout render only for a visitor with
 * a valid admission token; everyone else goes to the event's queue. And, because Next applies script nonces only
 * from here, each page's Content-Security-Policy (docs/decisions/014-content-security-policy.md); and server actions
 * from another origin are refused with 403 (lib/http/same-origin.ts). The logic lives in lib/, so moving to proxy.ts
 * later changes this file only.
 */
export async function middleware(request: NextRequest): Promise<NextResponse> {
  // Server actions and form posts: another origin is refused here with 403, before Next's own action check would
  // answer it with a 500 (docs/decisions/020-same-origin-requests.md).
  if (!SAFE_METHODS.has(request.method)) {
    const refusal =
      crossOriginRefusal(request.headers, allowedOrigins(appUrl())) ?? hostMismatchRefusal(request.headers);
    if (refusal) {
      const problem = toProblem(new AppError('FORBIDDEN', refusal, { reason: 'cross-origin' }));
      return new NextResponse(JSON.stringify(problem), {
        status: 403,
        headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
      });
    }
  }
  const decision = await gate(
    request.nextUrl.pathname,
    request.headers.get('cookie'),
    await admissionKey(requiredSecret('QUEUE_TOKEN_SECRET')),
  );
  if (!decision.allow) {
    const response = NextResponse.redirect(new URL(decision.redirectTo, request.url), 307);
    response.headers.set('cache-control', 'no-store');
    response.headers.set('x-admitone-gate', decision.reason);
    return response;
  }
  const e = env();
  const https =
    request.nextUrl.protocol === 'https:' ||
    request.headers.get('x-forwarded-proto') === 'https' ||
    appUrl(e).startsWith('https://');
  const nonce = newNonce();
  const policy = contentSecurityPolicy({
    nonce,
    development: e.NODE_ENV === 'development',
    https,
    stripe: Boolean(e.STRIPE_PUBLISHABLE_KEY),
  });
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', policy);
  if (https) response.headers.set('strict-transport-security', STRICT_TRANSPORT_SECURITY);
  return response;
}

export const config = {
  // Every page (the gate itself only acts on seat selection and checkout); not the API, assets or the service worker.
  matcher: [
    '/((?!api/|_next/static|_next/image|favicon.ico|icon.svg|apple-icon.png|icons/|manifest.webmanifest|sw.js|robots.txt).*)',
  ],
};
