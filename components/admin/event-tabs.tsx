'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

/** The sub-pages of one event in the admin, as tabs; the current one is marked for screen readers too. */
export function EventTabs({ eventId }: { eventId: string }) {
  const pathname = usePathname();
  const base = `/admin/events/${eventId}`;
  const tabs = [
    { href: base, label: 'Dashboard' },
    { href: `${base}/edit`, label: 'Edit' },
    { href: `${base}/seats`, label: 'Box office seats' },
    { href: `${base}/presales`, label: 'Presales' },
  ];
  return (
    <nav aria-label="Event pages" className="mx-auto max-w-7xl px-4 pt-4">
      <ul className="flex gap-1 overflow-x-auto border-b border-slate-200 text-sm">
        {tabs.map((tab) => {
          const current = pathname === tab.href;
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={current ? 'page' : undefined}
                className={`inline-flex min-h-11 items-center whitespace-nowrap border-b-2 px-3 font-medium ${
                  current ? 'border-brand-700 text-brand-800' : 'border-transparent text-slate-600 hover:text-slate-900'
                }`}
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
