import { z } from 'zod';
import type { OrderDetails, OrderListItem } from '@/lib/contracts/checkout';

/** The orders desk's API (GET/POST /api/admin/orders...). Shared by handlers, pages and tests; no server imports. */

/** Control characters (a NUL, line breaks) are in no reference, email or name; PostgreSQL cannot even store a NUL. */
const CONTROL = /[\u0000-\u001f\u007f]/;

export const orderSearchQuerySchema = z.object({
  /** Left out: the latest orders. */
  q: z
    .string()
    .trim()
    .min(2, 'type at least two characters of a reference, email or name')
    .max(200, 'type at most 200 characters')
    .refine((value) => !CONTROL.test(value), 'remove control characters (such as line breaks) from the search')
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type OrderSearchQuery = z.infer<typeof orderSearchQuerySchema>;

/** A row of the desk's search: what a buyer's own order list shows, plus who bought it and for which event. */
export type DeskOrderRow = OrderListItem & {
  email: string;
  buyerName: string;
  eventId: string;
};

export type DeskOrder = OrderDetails & {
  buyer: { id: string; name: string; email: string };
  /** Full refund possible: the order is paid. (Cancel under the policy: `cancellation` is not null.) */
  refundable: boolean;
  emails: { id: string; kind: string; subject: string; toEmail: string; createdAt: string; sentAt: string | null }[];
  audit: {
    id: number;
    action: string;
    actorEmail: string | null;
    createdAt: string;
    before: unknown;
    after: unknown;
  }[];
};

export type ResendResult = { orderId: string; emailId: string; toEmail: string; sent: boolean };
