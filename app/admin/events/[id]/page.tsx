import type { Metadata } from 'next';
import { AdminBreadcrumbs } from '@/components/admin/dashboard/admin-breadcrumbs';
import { EventDashboardView } from '@/components/admin/dashboard/event-dashboard';
import { dashboardDeps, getEventDashboard } from '@/lib/admin/dashboard';
import type { EventDashboard } from '@/lib/admin/dashboard-types';
import { requireAdminPage } from '@/lib/auth/page-guards';
import { loadOrNotFound } from '@/lib/http/load-or-not-found';
import { requestLocale } from '@/lib/locale.server';

type Props = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: 'Event dashboard' };

async function load(id: string): Promise<EventDashboard> {
  return loadOrNotFound(getEventDashboard(await dashboardDeps(), id));
}

/** The live dashboard of one event: seats, money, sales over time, the waiting room, holds, the seat map, cancel. */
export default async function EventDashboardPage({ params }: Props) {
  const { id } = await params;
  await requireAdminPage(`/admin/events/${id}`);
  const [initial, locale] = await Promise.all([load(id), requestLocale()]);
  return (
    <div className="mx-auto max-w-6xl px-4 py-8">
      <AdminBreadcrumbs trail={[{ href: '/admin/events', label: 'Events' }, { label: initial.event.name }]} />
      <div className="mt-3">
        <EventDashboardView initial={initial} locale={locale} />
      </div>
    </div>
  );
}
