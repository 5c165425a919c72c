import { dashboardDeps, getEventDashboard } from '@/lib/admin/dashboard';
import { json, route } from '@/lib/http/route';

/** The live dashboard's figures for one event (admin only); polled every few seconds by the dashboard page. */
export const GET = route('admin.events.stats', { params: ['id'], auth: 'admin' }, async ({ params: { id } }) => {
  return json(await getEventDashboard(await dashboardDeps(), id));
});
