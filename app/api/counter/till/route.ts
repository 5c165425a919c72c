import { getDb } from '@/db/client';
import { tillQuerySchema } from '@/lib/contracts/counter';
import { getTill } from '@/lib/counter/get-till';
import { json, readQuery, route } from '@/lib/http/route';

/** Box office: a day's takings per staff member and payment method (`?date=YYYY-MM-DD&tz=Area/City`, today in UTC by default). */
export const GET = route('counter.till', { auth: 'box_office' }, async ({ request }) =>
  json(await getTill(await getDb(), readQuery(request, tillQuerySchema))),
);
