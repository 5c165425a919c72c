import type { Metadata } from 'next';
import { AdminBreadcrumbs } from '@/components/admin/dashboard/admin-breadcrumbs';
import { NewAccessCodeForm, NewPresaleForm, TierVisibilityButton } from '@/components/admin/presales/presale-forms';
import { getDb } from '@/db/client';
import { getEventForEdit } from '@/lib/admin/get-event-for-edit';
import { requireAdminPage } from '@/lib/auth/page-guards';
import { formatDateTime, formatMoney } from '@/lib/format';
import { loadOrNotFound } from '@/lib/http/load-or-not-found';
import { requestLocale } from '@/lib/locale.server';
import { getPresaleOverview } from '@/lib/presale';
import { createAccessCodeAction, createPresaleAction, setTierHiddenAction } from './actions';

export const metadata: Metadata = { title: 'Presales and codes' };

/** Presale windows, presale codes with their uses, and which tiers are sold by code only. */
export default async function PresalesPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdminPage(`/admin/events/${id}/presales`);
  const db = await getDb();
  const { event } = await loadOrNotFound(getEventForEdit(db, id));
  const [overview, locale] = await Promise.all([getPresaleOverview(db, event.id), requestLocale()]);
  const when = (d: Date) => formatDateTime(d, event.timezone, locale);
  const presaleName = new Map(overview.presales.map((p) => [p.id, p.name]));
  const tierName = new Map(overview.tiers.map((t) => [t.id, t.name]));
  return (
    <div className="mx-auto max-w-5xl px-4 py-8">
      <AdminBreadcrumbs
        trail={[
          { href: '/admin/events', label: 'Events' },
          { href: `/admin/events/${event.id}`, label: event.name },
          { label: 'Presales' },
        ]}
      />
      <h1 className="mt-3 text-3xl font-bold tracking-tight">Presales and codes</h1>
      <p className="mt-1 max-w-3xl text-slate-700">
        General on-sale {when(event.onSaleAt)}. A presale code lets its holders buy in a presale before that, through
        their own line of the waiting room, and can unlock hidden tiers. Each account that enters a code uses it once.
      </p>

      <section aria-labelledby="presales-heading" className="mt-8">
        <h2 id="presales-heading" className="text-xl font-bold">
          Presales
        </h2>
        {overview.presales.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">No presale yet.</p>
        ) : (
          <table className="mt-2 w-full text-left text-sm">
            <thead className="text-slate-600">
              <tr>
                <th className="py-2 pr-3 font-medium">Name</th>
                <th className="py-2 pr-3 font-medium">Window</th>
                <th className="py-2 font-medium">Admissions per minute</th>
              </tr>
            </thead>
            <tbody>
              {overview.presales.map((p) => (
                <tr key={p.id} className="border-t border-slate-200">
                  <td className="py-2 pr-3 font-medium">{p.name}</td>
                  <td className="py-2 pr-3">
                    {when(p.startsAt)} – {when(p.endsAt)}
                  </td>
                  <td className="py-2">{p.admissionRatePerMinute}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div className="mt-4 rounded-xl bg-white p-4 ring-1 ring-slate-200">
          <h3 className="mb-3 font-semibold">Add a presale</h3>
          <NewPresaleForm action={createPresaleAction.bind(null, event.id, event.timezone)} timeZone={event.timezone} />
        </div>
      </section>

      <section aria-labelledby="tiers-heading" className="mt-10">
        <h2 id="tiers-heading" className="text-xl font-bold">
          Price tiers
        </h2>
        <ul className="mt-2 divide-y divide-slate-200 rounded-xl bg-white ring-1 ring-slate-200">
          {overview.tiers.map((t) => (
            <li key={t.id} className="flex flex-wrap items-center justify-between gap-3 p-3">
              <span>
                <span className="font-medium">{t.name}</span> · {formatMoney(t.priceMinor, event.currency, locale)}
                {t.hidden && (
                  <span className="ml-2 rounded-full bg-slate-900 px-2 py-0.5 text-xs text-white">
                    Hidden: code only
                  </span>
                )}
              </span>
              <TierVisibilityButton
                action={setTierHiddenAction.bind(null, event.id, t.id, !t.hidden)}
                hidden={t.hidden}
                name={t.name}
              />
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="codes-heading" className="mt-10">
        <h2 id="codes-heading" className="text-xl font-bold">
          Presale codes
        </h2>
        {overview.codes.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">No presale code yet.</p>
        ) : (
          <table className="mt-2 w-full text-left text-sm">
            <thead className="text-slate-600">
              <tr>
                <th className="py-2 pr-3 font-medium">Code</th>
                <th className="py-2 pr-3 font-medium">Unlocks</th>
                <th className="py-2 pr-3 font-medium">Used</th>
                <th className="py-2 font-medium">Seats per account</th>
              </tr>
            </thead>
            <tbody>
              {overview.codes.map((c) => (
                <tr key={c.id} className="border-t border-slate-200">
                  <td className="py-2 pr-3 font-mono font-medium">{c.code}</td>
                  <td className="py-2 pr-3">
                    {[
                      c.presaleId ? presaleName.get(c.presaleId) : null,
                      ...c.unlocksTierIds.map((t) => tierName.get(t) ?? 'a removed tier'),
                    ]
                      .filter(Boolean)
                      .join(', ')}
                  </td>
                  <td className="py-2 pr-3">
                    {c.uses} of {c.maxUses}
                  </td>
                  <td className="py-2">{c.perAccountLimit}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div className="mt-4 rounded-xl bg-white p-4 ring-1 ring-slate-200">
          <h3 className="mb-3 font-semibold">Create a code</h3>
          <NewAccessCodeForm
            action={createAccessCodeAction.bind(null, event.id)}
            presales={overview.presales}
            hiddenTiers={overview.tiers.filter((t) => t.hidden)}
          />
        </div>
      </section>
    </div>
  );
}
