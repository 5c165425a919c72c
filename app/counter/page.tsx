import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState } from '@/components/ui/empty-state';
import { getDb } from '@/db/client';
import { requireStaffPage } from '@/lib/auth/page-guards';
import { listCounterEvents } from '@/lib/counter/list-counter-events';
import { formatDateTime } from '@/lib/format';
import { requestLocale } from '@/lib/locale.server';

export const metadata: Metadata = { title: 'Sell' };

/** The counter's first screen: which event the buyer at the window wants. */
export default async function CounterPage() {
  await requireStaffPage('box_office', '/counter');
  const [events, locale] = await Promise.all([listCounterEvents(await getDb()), requestLocale()]);
  return (
    <div className="mx-auto max-w-4xl px-4 py-6">
      <h1 className="text-2xl font-bold tracking-tight">Sell at the counter</h1>
      <p className="mt-1 text-slate-700">Choose the event, then the seats on the same live map buyers see online.</p>
      {events.length ? (
        <ul className="mt-5 grid gap-3 sm:grid-cols-2">
          {events.map((e) => (
            <li key={e.id}>
              <Link
                href={`/counter/events/${e.id}`}
                className="block rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200 hover:ring-brand-400 focus-visible:ring-2 focus-visible:ring-brand-600"
              >
                <span className="block font-semibold">{e.name}</span>
                <span className="mt-1 block text-sm text-slate-600">
                  {e.venueName} ·{' '}
                  <time dateTime={e.startsAt.toISOString()}>{formatDateTime(e.startsAt, e.timezone, locale)}</time>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState title="Nothing on sale right now" className="mt-5">
          Events appear here once they are published and their sale has started.
        </EmptyState>
      )}
    </div>
  );
}
