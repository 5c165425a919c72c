import type { Metadata } from 'next';
import Link from 'next/link';
import QRCode from 'qrcode';
import { PrintButton } from '@/components/counter/print-button';
import { getDb } from '@/db/client';
import { requireStaffPage } from '@/lib/auth/page-guards';
import { getSaleTickets } from '@/lib/counter/get-sale-tickets';
import { formatEventDate, formatEventTime, seatPhrase } from '@/lib/format';
import { loadOrNotFound } from '@/lib/http/load-or-not-found';
import { requestLocale } from '@/lib/locale.server';

export const metadata: Metadata = { title: 'Print tickets' };

type Props = { params: Promise<{ id: string }> };

/** A counter sale's tickets to print: one per page, each with its signed code as a QR code (verifiable offline). */
export default async function CounterSalePrintPage({ params }: Props) {
  const { id } = await params;
  const viewer = await requireStaffPage('box_office', `/counter/sales/${id}`);
  const [sale, locale] = await Promise.all([
    loadOrNotFound(async () => getSaleTickets(await getDb(), id, viewer)),
    requestLocale(),
  ]);
  const printable = await Promise.all(
    sale.tickets.map(async (ticket) => ({
      ticket,
      qr: ticket.code
        ? await QRCode.toString(ticket.code, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })
        : null,
    })),
  );
  return (
    <div className="mx-auto max-w-3xl px-4 py-6 print:p-0">
      <div className="flex flex-wrap items-center justify-between gap-2 print:hidden">
        <div>
          <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
            <Link href="/counter" className="hover:underline">
              ← Sell
            </Link>
          </nav>
          <h1 className="mt-1 text-2xl font-bold tracking-tight">Tickets of sale {sale.reference}</h1>
        </div>
        <PrintButton />
      </div>
      <ol className="mt-5 space-y-5 print:mt-0 print:space-y-0">
        {printable.map(({ ticket, qr }) => {
          const startsAt = new Date(ticket.eventStartsAt);
          const seat = seatPhrase(ticket);
          return (
            <li
              key={ticket.id}
              className="break-after-page rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-300 print:rounded-none print:shadow-none"
            >
              <article aria-label={`Ticket: ${seat}`} className="grid gap-4 sm:grid-cols-[1fr_12rem]">
                <div>
                  <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">AdmitOne ticket</p>
                  <h2 className="mt-1 text-xl font-bold">{ticket.eventName}</h2>
                  <p className="text-slate-700">
                    <time dateTime={ticket.eventStartsAt}>
                      {formatEventDate(startsAt, ticket.eventTimezone, locale)} ·{' '}
                      {formatEventTime(startsAt, ticket.eventTimezone, locale)}
                    </time>
                    <br />
                    {ticket.venueName}
                  </p>
                  <p className="mt-3 text-2xl font-bold">{seat}</p>
                  <p className="text-sm text-slate-600">
                    {ticket.tierName} · Order {sale.reference}
                  </p>
                </div>
                {qr ? (
                  <div
                    role="img"
                    aria-label={`QR code of the signed ticket for ${seat}`}
                    className="aspect-square w-48 [&>svg]:h-full [&>svg]:w-full"
                    dangerouslySetInnerHTML={{ __html: qr }}
                  />
                ) : (
                  <p className="self-center rounded-lg bg-slate-100 p-3 text-sm">
                    {ticket.voidReason === 'transferred'
                      ? 'Claimed by the buyer’s account: their own code replaces this one.'
                      : 'No longer valid.'}
                  </p>
                )}
              </article>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
