import { getDb } from '@/db/client';
import { verifyCodeRequestSchema } from '@/lib/contracts/checkout';
import { json, route } from '@/lib/http/route';
import { checkTicketCode } from '@/lib/tickets/check-ticket-code';

/** The online check for a scanner with a connection (admin): signature, window, and the ticket still live. */
export const POST = route(
  'tickets.verify',
  { auth: 'door', body: { schema: verifyCodeRequestSchema, maxBytes: 4 * 1024 } },
  async ({ body: { code, eventId } }) => json(await checkTicketCode(await getDb(), code, { eventId })),
);
