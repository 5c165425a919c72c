import { getDb } from '@/db/client';
import { getDeskOrder } from '@/lib/admin/orders-desk';
import { json, route } from '@/lib/http/route';

/** One order for the desk: seats, tickets, refunds, buyer, emails sent and the audit trail. */
export const GET = route(
  'admin.orders.get',
  { params: ['id'], auth: 'admin' },
  async ({ params: { id }, viewer: admin }) => json(await getDeskOrder(await getDb(), id, admin)),
);
