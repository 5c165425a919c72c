import { getDb } from '@/db/client';
import { getScannerSession } from '@/lib/checkin/get-scanner-session';
import { resolveScanner } from '@/lib/checkin/resolve-scanner';
import { json, route } from '@/lib/http/route';

/**
 * The /scan page's start: who scans (a paired device by its bearer token, or door staff by their session) and for
 * which events and gates. A forged, revoked or expired device token is 401.
 */
export const GET = route('checkin.session', { rateLimit: 'checkin' }, async ({ request }) => {
  const db = await getDb();
  return json(await getScannerSession(db, await resolveScanner(db, request.headers)));
});
