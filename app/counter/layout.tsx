import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { CounterNav } from '@/components/counter/counter-nav';
import { Providers } from '@/components/providers';
import { requireStaffPage } from '@/lib/auth/page-guards';

export const metadata: Metadata = {
  title: { default: 'Box office', template: '%s · Box office · AdmitOne' },
  robots: { index: false },
};

/**
 * The box office (docs/counter.md). This guard covers a full page load; every counter page calls requireStaffPage
 * itself as well, and the routes declare `auth: 'box_office'`. TanStack Query for the live seat map.
 */
export default async function CounterLayout({ children }: { children: ReactNode }) {
  const viewer = await requireStaffPage('box_office', '/counter');
  return (
    <div className="min-h-full bg-slate-50">
      <div className="border-b border-slate-200 bg-white print:hidden">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-x-4 gap-y-1 px-4 py-2">
          <p className="text-xs font-semibold uppercase tracking-wide text-slate-600">
            Box office · <span className="normal-case tracking-normal">{viewer.name || viewer.email}</span>
          </p>
          <CounterNav />
        </div>
      </div>
      <Providers>{children}</Providers>
    </div>
  );
}
