import type { Metadata } from 'next';
import Link from 'next/link';
import QRCode from 'qrcode';
import { OfflineTicketSaver } from '@/components/tickets/offline-ticket-saver';
import { RotatingTicketCode } from '@/components/tickets/rotating-ticket-code';
import { PendingTransferNotice, TransferTicketForm } from '@/components/tickets/transfer-ticket-form';
import { getDb } from '@/db/client';
import { requireViewerPage } from '@/lib/auth/page-guards';
import { formatEventDate, formatEventTime, seatPhrase } from '@/lib/format';
import { loadOrNotFound } from '@/lib/http/load-or-not-found';
import { requestLocale } from '@/lib/locale.server';
import { getTicketForViewer } from '@/lib/tickets/get-ticket-for-viewer';
import { cancelTransferAction, transferTicketAction } from './actions';

export const metadata: Metadata = { title: 'Ticket' };

type Props = { params: Promise<{ id: string }> };

export default async function TicketPage({ params }: Props) {
  const { id } = await params;
  const viewer = await requireViewerPage(`/tickets/${id}`);
  const ticket = await loadOrNotFound(async () => getTicketForViewer(await getDb(), id, viewer));
  const locale = await requestLocale();
  const startsAt = new Date(ticket.eventStartsAt);
  const seat = seatPhrase(ticket);
  const qr = ticket.code
    ? await QRCode.toString(ticket.code, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })
    : null;
  const live = ticket.status === 'valid' && ticket.mine;

  return (
    <div className="mx-auto max-w-md px-4 py-6">
      <nav aria-label="Breadcrumb" className="mb-3 text-sm text-slate-600">
        <Link href={ticket.orderId ? `/orders/${ticket.orderId}` : '/orders'} className="hover:underline">
          {ticket.orderReference ? `Order ${ticket.orderReference}` : 'My tickets'}
        </Link>{' '}
        / Ticket
      </nav>
      <article className="overflow-hidden rounded-2xl bg-white shadow-md ring-1 ring-slate-200">
        <header className="bg-brand-600 px-5 py-4 text-white">
          <p className="text-xs font-semibold uppercase tracking-wide text-brand-100">AdmitOne ticket</p>
          <h1 className="mt-1 text-xl font-bold leading-tight">{ticket.eventName}</h1>
          <p className="mt-1 text-sm text-brand-50">
            <time dateTime={ticket.eventStartsAt}>
              {formatEventDate(startsAt, ticket.eventTimezone, locale)} ·{' '}
              {formatEventTime(startsAt, ticket.eventTimezone, locale)}
            </time>
            <br />
            {ticket.venueName}
          </p>
        </header>
        <dl className="grid grid-cols-3 gap-2 border-b border-dashed border-slate-300 px-5 py-4 text-center">
          <div>
            <dt className="text-xs uppercase text-slate-500">Section</dt>
            <dd className="text-2xl font-bold">{ticket.sectionLabel}</dd>
          </div>
          <div>
            <dt className="text-xs uppercase text-slate-500">Row</dt>
            <dd className="text-2xl font-bold">{ticket.rowLabel}</dd>
          </div>
          <div>
            <dt className="text-xs uppercase text-slate-500">Seat</dt>
            <dd className="text-2xl font-bold">{ticket.seatLabel}</dd>
          </div>
        </dl>

        <div className="space-y-4 px-5 py-5">
          {ticket.status === 'void' ? (
            <p role="status" className="rounded-lg bg-slate-100 p-4 text-center text-slate-800">
              {ticket.voidReason === 'transferred'
                ? `This ticket was transferred${ticket.transferredToEmail ? ` to ${ticket.transferredToEmail}` : ''}. Its code no longer works.`
                : 'This ticket was cancelled. Its code no longer works.'}
            </p>
          ) : ticket.status === 'used' ? (
            <p role="status" className="rounded-lg bg-slate-100 p-4 text-center text-slate-800">
              Scanned at the door. Enjoy the show!
            </p>
          ) : (
            <>
              {live ? <RotatingTicketCode ticketId={ticket.id} seat={seat} /> : null}
              {qr && (
                <details className="rounded-lg ring-1 ring-slate-200" open={!live}>
                  <summary className="cursor-pointer px-3 py-2 text-sm font-medium text-slate-800">
                    Printed-ticket code (works without the live code)
                  </summary>
                  <div className="flex flex-col items-center px-3 pb-3">
                    <div
                      role="img"
                      aria-label={`QR code of the signed ticket for ${seat}`}
                      className="aspect-square w-full max-w-56 [&>svg]:h-full [&>svg]:w-full"
                      dangerouslySetInnerHTML={{ __html: qr }}
                    />
                    <p className="mt-1 break-all text-center font-mono text-[10px] leading-tight text-slate-500">
                      {ticket.code}
                    </p>
                  </div>
                </details>
              )}
            </>
          )}
          <p className="text-center text-sm text-slate-700">
            {ticket.holderName} · {ticket.tierName}
          </p>
          {live && <OfflineTicketSaver />}
        </div>
      </article>

      {live && startsAt > new Date() && (
        <section aria-label="Transfer" className="mt-6">
          {ticket.pendingTransfer ? (
            <PendingTransferNotice
              toEmail={ticket.pendingTransfer.toEmail}
              action={cancelTransferAction.bind(null, ticket.pendingTransfer.id)}
            />
          ) : (
            <TransferTicketForm
              action={transferTicketAction.bind(null, ticket.id)}
              ticketLabel={`${ticket.eventName}, ${formatEventDate(startsAt, ticket.eventTimezone, locale)} · ${seat}`}
            />
          )}
        </section>
      )}
      <p className="mt-6 text-xs text-slate-500">
        Door staff verify both codes offline with the event’s public key{' '}
        <span className="break-all font-mono">{ticket.publicKey}</span>.
      </p>
    </div>
  );
}
