import { checkoutDeps } from '@/lib/checkout/deps';
import { transferRequestSchema } from '@/lib/contracts/checkout';
import { json, route } from '@/lib/http/route';
import { clientIp } from '@/lib/ratelimit/client-ip';
import { transferTicket } from '@/lib/tickets/transfer-ticket';

/**
 * Offer a ticket to someone by email: they claim it from the emailed link, signed in with that address; then the old
 * code stops working and they get a new one. The same answer whether or not an account uses the address. Its rate
 * limit is transferTicket's own, so the ticket page's action counts against the same budget.
 */
export const POST = route(
  'tickets.transfer',
  { params: ['id'], auth: 'viewer', body: { schema: transferRequestSchema, maxBytes: 2 * 1024 } },
  async ({ request, params: { id }, viewer, body }) =>
    json(await transferTicket(await checkoutDeps(), viewer, id, body, { ip: clientIp(request.headers) })),
);
