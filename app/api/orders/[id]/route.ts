import { getDb } from '@/db/client';
import { getOrderForViewer } from '@/lib/checkout/get-order-for-viewer';
import { json, route } from '@/lib/http/route';

/** One order with its seats, tickets and refunds; 404 for anyone but its buyer or an admin. */
export const GET = route('orders.get', { params: ['id'], auth: 'viewer' }, async ({ params: { id }, viewer }) =>
  json(await getOrderForViewer(await getDb(), id, viewer)),
);
