import type { Metadata } from 'next';
import { Card } from '@/components/admin/card';
import { StaffForm } from '@/components/admin/staff/staff-form';
import { getDb } from '@/db/client';
import { listStaff } from '@/lib/admin/set-staff-role';
import { requireAdminPage } from '@/lib/auth/page-guards';
import { changeStaffRoleAction } from './actions';

export const metadata: Metadata = { title: 'Staff' };

/** Staff accounts: door staff scan tickets at /scan; box office staff sell at the counter. Every change is audited. */
export default async function StaffPage() {
  await requireAdminPage('/admin/staff');
  const staff = await listStaff(await getDb());
  return (
    <div className="mx-auto max-w-4xl px-4 py-8">
      <h1 className="text-3xl font-bold tracking-tight">Staff</h1>
      <p className="mt-1 text-slate-700">
        Give an account a staff role by its email address (they sign up first). Door staff scan tickets at{' '}
        <code className="rounded bg-slate-100 px-1">/scan</code>; box office staff sell at the counter. Changes are
        written to the audit log and sign the person out everywhere.
      </p>
      <div className="mt-6 space-y-6">
        <Card title="Grant or remove a role">
          <StaffForm action={changeStaffRoleAction} />
        </Card>
        <Card title={`Staff accounts (${staff.length})`}>
          {staff.length === 0 ? (
            <p className="text-slate-700">No staff yet.</p>
          ) : (
            <ul className="divide-y divide-slate-200 text-sm">
              {staff.map((s) => (
                <li key={s.id} className="flex justify-between py-2">
                  <span>
                    <span className="font-medium">{s.name}</span> · {s.email}
                  </span>
                  <span className="text-slate-700">{s.role === 'door' ? 'Door staff' : 'Box office'}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </div>
  );
}
