'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

/** The pages of one event in the admin area; the current one is marked for assistive technology too. */
export function EventTabs({ eventId }: { eventId: string }) {
  const pathname = usePathname();
  const base = `/admin/events/${eventId}`;
  const tabs = [
    { href: base, label: 'Dashboard' },
    { href: `${base}/edit`, label: 'Edit' },
    { href: `${base}/seats`, label: 'Box office seats' },
    { href: `${base}/presales`, label: 'Presales' },
    { href: `${base}/codes`, label: 'Discount codes' },
    { href: `${base}/checkin`, label: 'Check-in' },
  ];
  return (
    <nav aria-label="Event" className="mx-auto max-w-6xl px-4 pt-4">
      <ul className="-mx-1 flex gap-1 overflow-x-auto border-b border-slate-200 text-sm font-medium">
        {tabs.map((tab) => {
          const current = pathname === tab.href;
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={current ? 'page' : undefined}
                className={`-mb-px block whitespace-nowrap border-b-2 px-3 py-2 ${current ? 'border-brand-600 text-brand-700' : 'border-transparent text-slate-700 hover:text-slate-900'}`}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
