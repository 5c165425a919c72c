import { getDb } from '@/db/client';
import { funnelCsv, getEventFunnel } from '@/lib/analytics/event-funnel';
import { funnelQuerySchema } from '@/lib/contracts/funnel';
import { json, readQuery, route } from '@/lib/http/route';

/** The event's sales funnel (admin only): JSON for the dashboard, or `?format=csv` as a download. */
export const GET = route(
  'admin.events.funnel',
  { params: ['id'], auth: 'admin' },
  async ({ request, params: { id } }) => {
    const { format } = readQuery(request, funnelQuerySchema);
    const funnel = await getEventFunnel(await getDb(), id);
    if (format === 'json') return json(funnel);
    return new Response(funnelCsv(funnel), {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="funnel-${id}.csv"`,
        'cache-control': 'no-store',
      },
    });
  },
);
