import { NextResponse, type NextRequest } from 'next/server';
import { requiredSecret } from '@/lib/env';
import { admissionKey } from '@/lib/queue/admission-token';
import { gate } from '@/lib/queue/gate';

/**
 * The waiting-room gate, nothing else (docs/decisions/010-edge-gate.md). Seat selection and checkout render only for
 * a visitor with a valid admission token; everyone else goes to the event's queue. The logic is lib/queue/gate.ts,
 * so moving to proxy.ts later changes this file only.
 */
export async function middleware(request: NextRequest): Promise<NextResponse> {
  const decision = await gate(request.nextUrl.pathname, request.headers.get('cookie'), await admissionKey(requiredSecret('QUEUE_TOKEN_SECRET')));
  if (decision.allow) return NextResponse.next();
  const to = new URL(decision.redirectTo, request.url);
  const response = NextResponse.redirect(to, 307);
  response.headers.set('cache-control', 'no-store');
  response.headers.set('x-admitone-gate', decision.reason);
  return response;
}

export const config = {
  matcher: ['/events/:id/seats', '/events/:id/seats/:path*', '/checkout', '/checkout/:path*'],
};
