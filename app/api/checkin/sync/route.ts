import { getDb } from '@/db/client';
import { resolveScanner } from '@/lib/checkin/resolve-scanner';
import { syncOfflineAdmissions } from '@/lib/checkin/sync-offline-admissions';
import { syncRequestSchema } from '@/lib/contracts/checkin';
import { json, route } from '@/lib/http/route';

/**
 * The admissions a scanner made offline: each stored once and answered as admitted, conflict (let in already,
 * flagged on the dashboard) or refused. Sending the same batch again changes nothing.
 */
export const POST = route(
  'checkin.sync',
  { rateLimit: 'checkin', body: { schema: syncRequestSchema, maxBytes: 1024 * 1024 } },
  async ({ request, body }) => {
    const db = await getDb();
    return json(await syncOfflineAdmissions(db, await resolveScanner(db, request.headers), body));
  },
);
