import { getDb } from '@/db/client';
import { resolveScanner } from '@/lib/checkin/resolve-scanner';
import { scanAtGate } from '@/lib/checkin/scan-at-gate';
import { scanRequestSchema } from '@/lib/contracts/checkin';
import { json, route } from '@/lib/http/route';

/**
 * One scan at a gate, online (a paired device or door staff): the verdict of POST /api/tickets/admit at the
 * scanner's gate. Always 200 with the verdict; a refused ticket is an answer, not an error.
 */
export const POST = route(
  'checkin.scan',
  { rateLimit: 'checkin', body: { schema: scanRequestSchema, maxBytes: 4 * 1024 } },
  async ({ request, body }) => {
    const db = await getDb();
    return json(await scanAtGate(db, await resolveScanner(db, request.headers), body));
  },
);
