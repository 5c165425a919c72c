import { requireViewer } from '@/lib/auth/viewer';
import { checkoutDeps } from '@/lib/checkout/deps';
import { transferRequestSchema } from '@/lib/contracts/checkout';
import { json, readJson, route } from '@/lib/http/route';
import { transferTicket } from '@/lib/tickets/transfer-ticket';

/** Give a ticket to another account by email: the old code stops working, the new holder gets a new one. */
export const POST = route<{ id: string }>('tickets.transfer', async (request, { id }) => {
  const viewer = await requireViewer(request.headers);
  const body = await readJson(request, transferRequestSchema, { maxBytes: 2 * 1024 });
  return json(await transferTicket(await checkoutDeps(), viewer, id, body));
});
