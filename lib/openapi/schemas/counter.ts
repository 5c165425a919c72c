import { z } from 'zod';
import {
  COUNTER_METHODS,
  type CounterSaleResult,
  type CounterVoidResult,
  type Till,
  type TillRow,
  type TillSale,
} from '@/lib/contracts/counter';
import { ORDER_STATUSES } from '@/lib/contracts/checkout';
import { id, instant, minor } from './common';

const method = z.enum(COUNTER_METHODS);
const count = z.number().int();

export const counterSaleSchema = z.object({
  orderId: id,
  reference: z.string(),
  status: z.literal('paid'),
  totalMinor: minor,
  currency: z.string(),
  method,
  tenderedMinor: minor.nullable(),
  changeMinor: minor.nullable(),
  terminalReference: z.string().nullable(),
  ticketIds: z.array(id),
  emailedTo: z.string().nullable(),
}) satisfies z.ZodType<CounterSaleResult>;

export const counterVoidSchema = z.object({
  orderId: id,
  status: z.enum(['cancelled', 'refunded']),
  refundMinor: minor,
  currency: z.string(),
  method,
}) satisfies z.ZodType<CounterVoidResult>;

const tillRowSchema = z.object({
  staffId: z.string(),
  staffName: z.string(),
  staffEmail: z.string(),
  method,
  currency: z.string(),
  sales: count,
  salesMinor: minor,
  voids: count,
  voidsMinor: minor,
  netMinor: minor,
}) satisfies z.ZodType<TillRow>;

const tillSaleSchema = z.object({
  orderId: id,
  reference: z.string(),
  eventName: z.string(),
  staffName: z.string(),
  method,
  totalMinor: minor,
  currency: z.string(),
  seats: count,
  paidAt: instant,
  status: z.enum(ORDER_STATUSES),
  voidable: z.boolean(),
}) satisfies z.ZodType<TillSale>;

export const tillSchema = z.object({
  date: z.string().meta({ description: 'YYYY-MM-DD' }),
  timeZone: z.string(),
  rows: z.array(tillRowSchema),
  sales: z.array(tillSaleSchema),
}) satisfies z.ZodType<Till>;
