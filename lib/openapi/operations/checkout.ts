import { checkoutRequestSchema, orderListQuerySchema } from '@/lib/contracts/checkout';
import { ok, type ApiOperation } from '../operation';
import { cancelResultSchema, checkoutResultSchema, orderDetailsSchema, orderListSchema } from '../schemas/checkout';
import { IDEMPOTENCY_ERRORS, idempotencyHeader } from './shared';

export const CHECKOUT: ApiOperation[] = [
  {
    method: 'post',
    path: '/api/checkout',
    id: 'checkout.create',
    tag: 'Checkout and orders',
    summary: 'Pay for a hold',
    description:
      'The same key and body always get the first answer. 402 declined (the hold stays, `declineCode`); 409 HOLD_NOT_ACTIVE when the hold ended, SEATS_UNAVAILABLE with `orderId` and `refund` when paid but the seats were taken (refunded at once), CONFLICT when another payment for the hold is running. An optional `discountCode` is applied before tax and its use counted with the order; 422 DISCOUNT_CODE_INVALID with `reason` (unknown, inactive, not_yet_valid, expired, exhausted, account_limit) charges nothing. The total includes exclusive tax.',
    access: 'viewer',
    headers: idempotencyHeader,
    body: checkoutRequestSchema,
    responses: {
      201: { description: 'Paid: tickets issued', schema: checkoutResultSchema },
      202: {
        description: 'Processing: the bank answers later; poll the order (Location)',
        schema: checkoutResultSchema,
      },
    },
    errors: [
      ...IDEMPOTENCY_ERRORS,
      'NOT_FOUND',
      'QUEUE_TOKEN_REQUIRED',
      'PAYMENT_DECLINED',
      'HOLD_NOT_ACTIVE',
      'SEATS_UNAVAILABLE',
      'CONFLICT',
      'DISCOUNT_CODE_INVALID',
      'INVALID_STATE',
      'RATE_LIMITED',
      'PAYMENT_PROVIDER_ERROR',
    ],
  },
  {
    method: 'get',
    path: '/api/orders',
    id: 'orders.list',
    tag: 'Checkout and orders',
    summary: 'The signed-in buyer’s orders, newest first',
    access: 'viewer',
    query: orderListQuerySchema,
    responses: ok('A page of orders', orderListSchema),
  },
  {
    method: 'get',
    path: '/api/orders/{id}',
    id: 'orders.get',
    tag: 'Checkout and orders',
    summary: 'An order with its seats, tickets and refunds',
    description: 'For its buyer or an admin; anyone else gets 404.',
    access: 'viewer',
    responses: ok('The order', orderDetailsSchema),
    errors: ['NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/api/orders/{id}/cancel',
    id: 'orders.cancel',
    tag: 'Checkout and orders',
    summary: 'Cancel a paid order under the event’s refund policy',
    description: 'Repeating it answers with the first result.',
    access: 'viewer',
    responses: ok('The order’s new status and its refund', cancelResultSchema),
    errors: ['NOT_FOUND', 'INVALID_STATE', 'CONFLICT', 'PAYMENT_PROVIDER_ERROR'],
  },
];
