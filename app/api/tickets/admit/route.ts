import { getDb } from '@/db/client';
import { requireAdmin } from '@/lib/auth/viewer';
import { admitRequestSchema } from '@/lib/contracts/tickets';
import { json, readJson, route } from '@/lib/http/route';
import { admitTicket } from '@/lib/tickets/admit-ticket';

/**
 * Door admission (admin; the check-in screen comes with the features issue): `{ code, eventId, gate }`. The first
 * scan of a valid ticket answers `admitted: true` and marks it used; every later one, on any scanner, "already
 * admitted at <time>, <gate>". Always 200 with the verdict, like /api/tickets/verify: a refused ticket is an answer.
 */
export const POST = route('tickets.admit', async (request) => {
  const admin = await requireAdmin(request.headers);
  const body = await readJson(request, admitRequestSchema, { maxBytes: 4 * 1024 });
  return json(await admitTicket(await getDb(), body, admin));
});
