import 'server-only';
import { UNPRINTABLE } from '@/lib/contracts/auth';
import { appUrl } from '@/lib/env';
import { formatDateTime, formatMoney, seatPhrase } from '@/lib/format';
import type { QueuedEmail } from './deliver-outbox';
import { amountLines, type OrderAmounts } from '@/lib/pricing/amount-lines';

/** An order row, or what the checkout knows of it; the bill's lines (OrderAmounts) come with an order row. */
type OrderFacts = {
  id: string;
  reference: string;
  email: string;
  currency: string;
  totalMinor: number;
} & Partial<OrderAmounts>;
type EventFacts = { name: string; startsAt: Date; timezone: string };
type SeatFacts = { sectionLabel: string; rowLabel: string; seatLabel: string };

const UNPRINTABLE_ALL = new RegExp(UNPRINTABLE.source, 'g');

/** What every refund email says about when the money shows up. */
const BANK_DELAY = 'banks usually show it within 5 to 10 business days';

/**
 * Text that did not come from us, fit for one line of an email or a subject: line breaks, control characters and
 * bidirectional overrides become spaces, runs of space collapse, and it is cut to `max` characters. Whatever a name
 * or label holds, it cannot start a line, add a header or pass for our own words.
 */
export function oneLine(text: string, max = 80): string {
  const flat = text.replace(UNPRINTABLE_ALL, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}

/** A person's own words (their display name), on one line and in quotation marks, so it reads as what they typed. */
export const quoted = (text: string, max = 60) => `“${oneLine(text, max) || 'Someone'}”`;

const seatLines = (seats: SeatFacts[]) =>
  seats
    .map(
      (s) =>
        `  - ${seatPhrase({ sectionLabel: oneLine(s.sectionLabel, 40), rowLabel: oneLine(s.rowLabel, 10), seatLabel: oneLine(s.seatLabel, 10) })}`,
    )
    .join('\n');
const eventName = (event: EventFacts) => oneLine(event.name, 140);
const orderUrl = (id: string) => `${appUrl()}/orders/${id}`;

/** The bill as plain text: one line each for tickets, discount, fees and exclusive tax, the total, included tax. */
function billLines(order: OrderFacts): string[] {
  if (order.subtotalMinor === undefined || order.taxMode === undefined) return [];
  const a: OrderAmounts = {
    subtotalMinor: order.subtotalMinor,
    discountMinor: order.discountMinor ?? 0,
    discountCode: order.discountCode ?? null,
    feesMinor: order.feesMinor ?? 0,
    taxMinor: order.taxMinor ?? 0,
    taxMode: order.taxMode,
    taxRateBp: order.taxRateBp ?? 0,
    taxLabel: order.taxLabel ?? '',
    totalMinor: order.totalMinor,
  };
  if (a.discountMinor === 0 && a.taxMode === 'none') return [];
  const bill = amountLines(a);
  const money = (minor: number) => formatMoney(minor, order.currency);
  return [
    '',
    ...bill.lines.map((l) => `  ${oneLine(l.label, 60)}: ${l.minor < 0 ? `−${money(-l.minor)}` : money(l.minor)}`),
    `  Total: ${money(bill.totalMinor)}${bill.included ? ` (${oneLine(bill.included.label, 60)}: ${money(bill.included.minor)})` : ''}`,
  ];
}

export function confirmationEmail(order: OrderFacts, event: EventFacts, seats: SeatFacts[]): QueuedEmail {
  return {
    to: order.email,
    kind: 'order_confirmation',
    orderId: order.id,
    subject: `Your tickets for ${eventName(event)} (${order.reference})`,
    text: [
      `Thank you. Order ${order.reference} is paid: ${formatMoney(order.totalMinor, order.currency)}.`,
      ...billLines(order),
      '',
      `${eventName(event)}, ${formatDateTime(event.startsAt, event.timezone)}`,
      seatLines(seats),
      '',
      `Your tickets, with the QR codes to show at the door: ${orderUrl(order.id)}`,
      'Open them once before you go: they then work without a signal.',
    ].join('\n'),
  };
}

/** An email to the buyer about their order: `lines`, then the link to the order's page. */
const aboutOrder = (order: OrderFacts, kind: string, subject: string, lines: string[]): QueuedEmail => ({
  to: order.email,
  kind,
  orderId: order.id,
  subject,
  text: [...lines, '', `Details: ${orderUrl(order.id)}`].join('\n'),
});

export function seatsLostEmail(order: OrderFacts, event: EventFacts, refundMinor: number): QueuedEmail {
  return aboutOrder(order, 'order_seats_lost', `We could not complete order ${order.reference}; you are refunded`, [
    `Your payment for ${eventName(event)} arrived after your seat hold had ended, and some of the seats had been bought by someone else in the meantime.`,
    `We refunded ${formatMoney(refundMinor, order.currency)} to your card; ${BANK_DELAY}.`,
  ]);
}

export function cancellationEmail(order: OrderFacts, event: EventFacts, refundMinor: number): QueuedEmail {
  return aboutOrder(order, 'order_cancelled', `Order ${order.reference} is cancelled`, [
    `Your tickets for ${eventName(event)} are cancelled and no longer valid.`,
    refundMinor > 0
      ? `We are refunding ${formatMoney(refundMinor, order.currency)} to your card; ${BANK_DELAY}.`
      : 'No refund applies under the event’s policy.',
  ]);
}

export function eventCancelledEmail(order: OrderFacts, event: EventFacts, refundMinor: number): QueuedEmail {
  return aboutOrder(
    order,
    'event_cancelled',
    `${eventName(event)} is cancelled; order ${order.reference} is refunded`,
    [
      `We are sorry: the organizer cancelled ${eventName(event)} (${formatDateTime(event.startsAt, event.timezone)}). Your tickets are no longer valid.`,
      refundMinor > 0
        ? `We are refunding ${formatMoney(refundMinor, order.currency)}, the full price, to your card; ${BANK_DELAY}.`
        : '',
    ],
  );
}

/** A ticket sent by `fromName` to `to`: who sent it, the event and the seat, then `after`. */
const ticketFrom = (
  to: string,
  fromName: string,
  event: EventFacts,
  seat: SeatFacts,
  sent: string,
  after: string[],
) => ({
  to,
  kind: 'ticket_transferred',
  subject: `A ticket for ${eventName(event)} from ${quoted(fromName, 40)}`,
  text: [
    `The AdmitOne account holder named ${quoted(fromName)} ${sent}.`,
    '',
    `${eventName(event)}, ${formatDateTime(event.startsAt, event.timezone)}`,
    seatLines([seat]),
    '',
    ...after,
  ].join('\n'),
});

/**
 * A ticket offered to an email address. Worded the same whether or not an account uses it; the link's secret is
 * what proves the reader owns the address.
 */
export function transferOfferEmail(
  to: string,
  fromName: string,
  event: EventFacts,
  seat: SeatFacts,
  claimUrl: string,
): QueuedEmail {
  return ticketFrom(to, fromName, event, seat, 'is giving you a ticket', [
    `Claim it here, signed in (or after creating an account) with this email address, ${to}:`,
    claimUrl,
    '',
    'The ticket gets a new code when you claim it. Until then the sender can still cancel. If you do not want it, ignore this email.',
  ]);
}

export function transferEmail(
  to: string,
  fromName: string,
  event: EventFacts,
  seat: SeatFacts,
  ticketId: string,
): QueuedEmail {
  return ticketFrom(to, fromName, event, seat, 'transferred a ticket to your AdmitOne account', [
    `Your ticket: ${appUrl()}/tickets/${ticketId}`,
  ]);
}
