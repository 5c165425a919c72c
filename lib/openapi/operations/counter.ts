import { z } from 'zod';
import { counterHoldRequestSchema, counterSaleRequestSchema, tillQuerySchema } from '@/lib/contracts/counter';
import { ok, type ApiOperation } from '../operation';
import { counterSaleSchema, counterVoidSchema, tillSchema } from '../schemas/counter';
import { holdSchema } from '../schemas/inventory';
import { IDEMPOTENCY_ERRORS, idempotencyHeader } from './shared';

/** The box office (docs/counter.md): box-office staff accounts and organizers. */
export const COUNTER: ApiOperation[] = [
  {
    method: 'post',
    path: '/api/counter/holds',
    id: 'counter.holds.create',
    tag: 'Box office',
    summary: 'Hold seats at the counter',
    description:
      'The same hold as a buyer’s, in the staff member’s name, without the waiting room: a seat an online buyer holds or bought is 409 SEATS_UNAVAILABLE, and a seat held here is refused to them. Release it with DELETE /api/holds/{id}.',
    access: 'box_office',
    body: counterHoldRequestSchema,
    responses: { 201: { description: 'The hold', schema: holdSchema } },
    errors: ['NOT_FOUND', 'SEATS_UNAVAILABLE', 'EVENT_NOT_ON_SALE', 'SEAT_LIMIT_EXCEEDED', 'RATE_LIMITED'],
  },
  {
    method: 'post',
    path: '/api/counter/sales',
    id: 'counter.sales.create',
    tag: 'Box office',
    summary: 'Sell the held seats for cash or a card on the terminal',
    description:
      'Records the payment (cash: what was handed over and the change; card present: the terminal’s reference) and issues the tickets, to print or, with `email`, offered to that address. The same key always answers the first sale.',
    access: 'box_office',
    headers: idempotencyHeader,
    body: counterSaleRequestSchema,
    responses: ok('The sale and its tickets', counterSaleSchema),
    errors: [
      ...IDEMPOTENCY_ERRORS,
      'NOT_FOUND',
      'HOLD_NOT_ACTIVE',
      'CONFLICT',
      'SEATS_UNAVAILABLE',
      'INVALID_STATE',
      'RATE_LIMITED',
    ],
  },
  {
    method: 'post',
    path: '/api/counter/sales/{id}/void',
    id: 'counter.sales.void',
    tag: 'Box office',
    summary: 'Void a counter sale the same day',
    description:
      'Tickets void, seats back on sale, the whole amount recorded as handed back by this staff member. Only on the day of the sale, in the venue’s time zone; repeating it answers the same.',
    access: 'box_office',
    responses: ok('The voided sale', counterVoidSchema),
    errors: ['NOT_FOUND', 'INVALID_STATE', 'RATE_LIMITED'],
  },
  {
    method: 'get',
    path: '/api/counter/till',
    id: 'counter.till',
    tag: 'Box office',
    summary: 'A day’s takings per staff member and payment method',
    description: 'Sales, voids and net per staff member, method and currency, and the day’s sales, newest first.',
    access: 'box_office',
    query: tillQuerySchema,
    responses: ok('The till', tillSchema),
  },
  {
    method: 'get',
    path: '/api/counter/till/export',
    id: 'counter.till.export',
    tag: 'Box office',
    summary: 'The till as CSV',
    description: 'One line per staff member, method and currency; amounts in minor units.',
    access: 'box_office',
    query: tillQuerySchema,
    responses: { 200: { description: 'CSV attachment', schema: z.string(), mediaType: 'text/csv' } },
  },
];
