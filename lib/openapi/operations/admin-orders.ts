import { orderSearchQuerySchema } from '@/lib/admin/orders-desk-contract';
import { ok, type ApiOperation } from '../operation';
import { deskOrderListSchema, deskOrderSchema, resendSchema } from '../schemas/admin';
import { cancelResultSchema } from '../schemas/checkout';
import { IDEMPOTENCY_ERRORS, idempotencyHeader } from './shared';

const deskCancel = (kind: 'cancel' | 'refund', summary: string): ApiOperation => ({
  method: 'post',
  path: `/api/admin/orders/{id}/${kind}`,
  id: `admin.orders.${kind}`,
  tag: 'Admin: orders',
  summary,
  description: 'The same key always answers the first result; an order is never refunded twice.',
  access: 'admin',
  headers: idempotencyHeader,
  responses: ok('The order’s new status and its refund', cancelResultSchema),
  errors: [...IDEMPOTENCY_ERRORS, 'NOT_FOUND', 'INVALID_STATE', 'CONFLICT', 'PAYMENT_PROVIDER_ERROR'],
});

export const ADMIN_ORDERS: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/admin/orders',
    id: 'admin.orders.search',
    tag: 'Admin: orders',
    summary: 'Search orders by reference, email or name',
    description: 'Without `q` the latest orders. Newest first.',
    access: 'admin',
    query: orderSearchQuerySchema,
    responses: ok('The matching orders', deskOrderListSchema),
  },
  {
    method: 'get',
    path: '/api/admin/orders/{id}',
    id: 'admin.orders.get',
    tag: 'Admin: orders',
    summary: 'One order for the desk',
    description: 'Seats, tickets, refunds, buyer, emails sent and the audit trail.',
    access: 'admin',
    responses: ok('The order', deskOrderSchema),
    errors: ['NOT_FOUND'],
  },
  deskCancel('cancel', 'Cancel an order under the event’s refund policy'),
  deskCancel('refund', 'Refund an order in full'),
  {
    method: 'post',
    path: '/api/admin/orders/{id}/resend',
    id: 'admin.orders.resend',
    tag: 'Admin: orders',
    summary: 'Send the order confirmation again',
    description: 'Paid orders only.',
    access: 'admin',
    responses: { 202: { description: 'The queued email', schema: resendSchema } },
    errors: ['NOT_FOUND', 'INVALID_STATE'],
  },
];
