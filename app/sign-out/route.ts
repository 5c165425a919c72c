import type { NextRequest } from 'next/server';
import { getAuth } from '@/lib/auth/auth.server';
import { forgetViewer } from '@/lib/auth/viewer';
import { route } from '@/lib/http/route';

/** POST from the header's sign-out button: ends the session, clears its cookies, goes home. */
export const POST = route('sign-out', async (request: NextRequest) => {
  forgetViewer(request.headers.get('cookie') ?? '');
  const auth = await getAuth();
  const result = await auth.api.signOut({ headers: request.headers, asResponse: true }).catch(() => null);
  const response = new Response(null, { status: 303, headers: { location: '/' } });
  for (const cookie of result?.headers.getSetCookie() ?? []) response.headers.append('set-cookie', cookie);
  return response;
});
