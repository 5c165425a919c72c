import { requireAdmin } from '@/lib/auth/viewer';
import { dashboardDeps, getEventDashboard } from '@/lib/admin/dashboard';
import { json, route } from '@/lib/http/route';

/** The live dashboard's figures for one event (admin only); polled every few seconds by the dashboard page. */
export const GET = route<{ id: string }>('admin.events.stats', async (request, { id }) => {
  await requireAdmin(request.headers);
  return json(await getEventDashboard(await dashboardDeps(), id));
});
