import { getDb } from '@/db/client';
import { requireAdmin } from '@/lib/auth/viewer';
import { verifyCodeRequestSchema } from '@/lib/contracts/checkout';
import { json, readJson, route } from '@/lib/http/route';
import { checkTicketCode } from '@/lib/tickets/check-ticket-code';

/** The online check for a scanner with a connection (admin): signature, window, and the ticket still live. */
export const POST = route('tickets.verify', async (request) => {
  await requireAdmin(request.headers);
  const { code, eventId } = await readJson(request, verifyCodeRequestSchema, { maxBytes: 4 * 1024 });
  return json(await checkTicketCode(await getDb(), code, { eventId }));
});
