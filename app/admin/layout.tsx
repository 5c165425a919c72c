import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { AdminNav } from '@/components/admin/admin-nav';
import { requireAdminPage } from '@/lib/auth/page-guards';

export const metadata: Metadata = {
  title: { default: 'Admin', template: '%s · Admin · AdmitOne' },
  robots: { index: false },
};

/**
 * The admin area. This guard covers a full page load; every admin page calls requireAdminPage itself as well
 * (a layout is not re-run on client navigation and does not guard route handlers, which declare `auth: 'admin'` to route()).
 */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const viewer = await requireAdminPage('/admin');
  return (
    <div className="bg-slate-50">
      <div className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-x-4 gap-y-1 px-4 py-2">
          <p className="text-xs font-semibold uppercase tracking-wide text-slate-600">
            Organizer · <span className="normal-case tracking-normal">{viewer.email}</span>
          </p>
          <AdminNav />
        </div>
      </div>
      {children}
    </div>
  );
}
