'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const LINKS = [
  { href: '/admin', label: 'Overview', exact: true },
  { href: '/admin/events', label: 'Events' },
  { href: '/admin/venues', label: 'Venues' },
  { href: '/admin/orders', label: 'Orders' },
  { href: '/admin/staff', label: 'Staff' },
];

/** The admin area's own navigation; the current section is marked for assistive technology too. */
export function AdminNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Admin" className="-mx-1 flex gap-1 overflow-x-auto text-sm font-medium">
      {LINKS.map((link) => {
        const current = link.exact
          ? pathname === link.href
          : pathname === link.href || pathname.startsWith(`${link.href}/`);
        return (
          <Link
            key={link.href}
            href={link.href}
            aria-current={current ? 'page' : undefined}
            className={`whitespace-nowrap rounded-md px-3 py-2 ${current ? 'bg-brand-50 text-brand-700' : 'text-slate-700 hover:bg-slate-100'}`}
          >
            {link.label}
          </Link>
        );
      })}
    </nav>
  );
}
