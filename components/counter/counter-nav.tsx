'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const LINKS = [
  { href: '/counter', label: 'Sell', current: (p: string) => p === '/counter' || p.startsWith('/counter/events') },
  { href: '/counter/till', label: 'Till', current: (p: string) => p.startsWith('/counter/till') },
];

/** The box office's navigation: selling and the till; the current one is marked for assistive technology too. */
export function CounterNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Box office" className="flex gap-1 text-sm font-medium print:hidden">
      {LINKS.map((link) => (
        <Link
          key={link.href}
          href={link.href}
          aria-current={link.current(pathname) ? 'page' : undefined}
          className={`rounded-md px-3 py-2 ${link.current(pathname) ? 'bg-brand-50 text-brand-700' : 'text-slate-700 hover:bg-slate-100'}`}
        >
          {link.label}
        </Link>
      ))}
    </nav>
  );
}
