import { getDb } from '@/db/client';
import { setDiscountCodeActive } from '@/lib/admin/discount-codes';
import { discountCodePatchSchema } from '@/lib/contracts/discount-code';
import { json, route } from '@/lib/http/route';

/** Withdraw a discount code (`{active: false}`) or bring it back; orders that used it keep their discount. */
export const PATCH = route(
  'admin.discount-codes.update',
  { params: ['id', 'codeId'], auth: 'admin', body: { schema: discountCodePatchSchema, maxBytes: 1024 } },
  async ({ params: { id, codeId }, viewer: admin, body }) => {
    await setDiscountCodeActive(await getDb(), id, codeId, body.active, admin.id);
    return json({ id: codeId, active: body.active });
  },
);
