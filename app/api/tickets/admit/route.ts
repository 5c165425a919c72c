import { getDb } from '@/db/client';
import { admitRequestSchema } from '@/lib/contracts/tickets';
import { json, route } from '@/lib/http/route';
import { admitTicket } from '@/lib/tickets/admit-ticket';

/**
 * Door admission (door staff or admin; the /scan page uses POST /api/checkin/scan): `{ code, eventId, gate }`. The first
 * scan of a valid ticket answers `admitted: true` and marks it used; every later one, on any scanner, "already
 * admitted at <time>, <gate>". Always 200 with the verdict, like /api/tickets/verify: a refused ticket is an answer.
 */
export const POST = route(
  'tickets.admit',
  { auth: 'door', body: { schema: admitRequestSchema, maxBytes: 4 * 1024 } },
  async ({ viewer: admin, body }) => json(await admitTicket(await getDb(), body, admin)),
);
