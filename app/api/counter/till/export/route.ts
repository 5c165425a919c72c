import { getDb } from '@/db/client';
import { tillQuerySchema } from '@/lib/contracts/counter';
import { getTill } from '@/lib/counter/get-till';
import { tillCsv } from '@/lib/counter/till-csv';
import { readQuery, route } from '@/lib/http/route';

/** Box office: the same day's takings as a CSV attachment, for closing the till. */
export const GET = route('counter.till.export', { auth: 'box_office' }, async ({ request }) => {
  const till = await getTill(await getDb(), readQuery(request, tillQuerySchema));
  return new Response(tillCsv(till), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'cache-control': 'no-store',
      'content-disposition': `attachment; filename="till-${till.date}.csv"`,
    },
  });
});
