import { getDb } from '@/db/client';
import { createDiscountCode, listDiscountCodes } from '@/lib/admin/discount-codes';
import { discountCodeInputSchema } from '@/lib/contracts/discount-code';
import { json, route } from '@/lib/http/route';

/** The event's discount codes, newest first, with their uses (decision 040). */
export const GET = route('admin.discount-codes.list', { params: ['id'], auth: 'admin' }, async ({ params: { id } }) =>
  json({ codes: await listDiscountCodes(await getDb(), id) }),
);

/** A new discount code for the event; 422 for invalid terms or a code the event already has. */
export const POST = route(
  'admin.discount-codes.create',
  { params: ['id'], auth: 'admin', body: { schema: discountCodeInputSchema, maxBytes: 4 * 1024 } },
  async ({ params: { id }, viewer: admin, body }) =>
    json(await createDiscountCode(await getDb(), id, body, admin.id), { status: 201 }),
);
