import { requireViewer } from '@/lib/auth/viewer';
import { checkoutDeps } from '@/lib/checkout/deps';
import { transferRequestSchema } from '@/lib/contracts/checkout';
import { json, readJson, route } from '@/lib/http/route';
import { clientIp } from '@/lib/ratelimit/client-ip';
import { transferTicket } from '@/lib/tickets/transfer-ticket';

/**
 * Offer a ticket to someone by email: they claim it from the emailed link, signed in with that address; then the old
 * code stops working and they get a new one. The same answer whether or not an account uses the address.
 */
export const POST = route<{ id: string }>('tickets.transfer', async (request, { id }) => {
  const viewer = await requireViewer(request.headers);
  const body = await readJson(request, transferRequestSchema, { maxBytes: 2 * 1024 });
  return json(await transferTicket(await checkoutDeps(), viewer, id, body, { ip: clientIp(request.headers) }));
});
