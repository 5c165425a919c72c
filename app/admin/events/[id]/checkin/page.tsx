import type { Metadata } from 'next';
import { AdminBreadcrumbs } from '@/components/admin/dashboard/admin-breadcrumbs';
import { CheckinLive } from '@/components/admin/checkin/checkin-live';
import { DevicesPanel } from '@/components/admin/checkin/devices-panel';
import { GatesPanel } from '@/components/admin/checkin/gates-panel';
import { getDb } from '@/db/client';
import { requireAdminPage } from '@/lib/auth/page-guards';
import { getCheckinStats } from '@/lib/checkin/get-checkin-stats';
import { listDevices } from '@/lib/checkin/manage-devices';
import { getCheckinEventOrThrow, listGates } from '@/lib/checkin/manage-gates';
import { loadOrNotFound } from '@/lib/http/load-or-not-found';
import { createGateAction, deleteGateAction, pairDeviceAction, revokeDeviceAction } from './actions';

export const metadata: Metadata = { title: 'Door check-in' };

/** An event's doors: its gates, the phones paired to scan at them, and entries per gate as they happen. */
export default async function EventCheckinPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdminPage(`/admin/events/${id}/checkin`);
  const db = await getDb();
  const event = await loadOrNotFound(() => getCheckinEventOrThrow(db, id));
  const [gateList, devices, stats] = await Promise.all([
    listGates(db, id),
    listDevices(db, id),
    getCheckinStats(db, id),
  ]);
  return (
    <div className="mx-auto max-w-6xl px-4 py-8">
      <AdminBreadcrumbs
        trail={[
          { href: '/admin/events', label: 'Events' },
          { href: `/admin/events/${id}`, label: event.name },
          { label: 'Check-in' },
        ]}
      />
      <h1 className="mt-3 text-3xl font-bold tracking-tight">Door check-in</h1>
      <p className="mt-1 max-w-3xl text-slate-700">
        Name the gates, then pair a phone to each one: it opens the pairing link, and scans at{' '}
        <code className="rounded bg-slate-100 px-1">/scan</code>. Door staff accounts can scan at any gate without
        pairing.
      </p>
      <div className="mt-6">
        <CheckinLive eventId={id} initial={stats} />
      </div>
      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <GatesPanel
          gates={gateList.map((g) => ({ id: g.id, name: g.name }))}
          createGate={createGateAction.bind(null, id)}
          deleteGate={deleteGateAction.bind(null, id)}
        />
        <DevicesPanel
          pairDevice={pairDeviceAction.bind(null, id)}
          revokeDevice={revokeDeviceAction.bind(null, id)}
          gates={gateList.map((g) => ({ id: g.id, name: g.name }))}
          devices={devices.map((d) => ({
            id: d.id,
            label: d.label,
            gateName: d.gateName,
            state: d.state,
            lastSeenAt: d.lastSeenAt?.toISOString() ?? null,
          }))}
        />
      </div>
    </div>
  );
}
