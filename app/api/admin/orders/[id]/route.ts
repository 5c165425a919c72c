import { getDb } from '@/db/client';
import { getDeskOrder } from '@/lib/admin/orders-desk';
import { requireAdmin } from '@/lib/auth/viewer';
import { json, route } from '@/lib/http/route';

/** One order for the desk: seats, tickets, refunds, buyer, emails sent and the audit trail. */
export const GET = route<{ id: string }>('admin.orders.get', async (request, { id }) => {
  const admin = await requireAdmin(request.headers);
  return json(await getDeskOrder(await getDb(), id, admin));
});
