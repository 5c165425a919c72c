import { getAuth } from '@/lib/auth/auth.server';
import { headersForAuth } from '@/lib/auth/forwarded-headers';
import { forgetViewer } from '@/lib/auth/viewer';
import { route } from '@/lib/http/route';

/**
 * POST from the header's sign-out button (a plain HTML form, so it works without JavaScript): ends the session,
 * clears its cookies, goes home. better-auth deletes the session, which revokes it on every instance
 * (lib/auth/session-revocation.ts). Same-origin only, like every state change: no other site can sign anyone out.
 */
export const POST = route('sign-out', { body: 'form' }, async ({ request }) => {
  forgetViewer(request.headers.get('cookie') ?? '');
  const auth = await getAuth();
  const result = await auth.api
    .signOut({ headers: headersForAuth(request.headers), asResponse: true })
    .catch(() => null);
  const response = new Response(null, { status: 303, headers: { location: '/' } });
  for (const cookie of result?.headers.getSetCookie() ?? []) response.headers.append('set-cookie', cookie);
  return response;
});
