import 'server-only';
import { appUrl } from '@/lib/env';
import { formatDateTime, formatMoney } from '@/lib/format';
import type { QueuedEmail } from './deliver-outbox';

type OrderFacts = { id: string; reference: string; email: string; currency: string; totalMinor: number };
type EventFacts = { name: string; startsAt: Date; timezone: string };
type SeatFacts = { sectionLabel: string; rowLabel: string; seatLabel: string };

const seatLines = (seats: SeatFacts[]) => seats.map((s) => `  - Section ${s.sectionLabel}, row ${s.rowLabel}, seat ${s.seatLabel}`).join('\n');
const orderUrl = (id: string) => `${appUrl()}/orders/${id}`;

export function confirmationEmail(order: OrderFacts, event: EventFacts, seats: SeatFacts[]): QueuedEmail {
  return {
    to: order.email,
    kind: 'order_confirmation',
    orderId: order.id,
    subject: `Your tickets for ${event.name} (${order.reference})`,
    text: [
      `Thank you. Order ${order.reference} is paid: ${formatMoney(order.totalMinor, order.currency)}.`,
      '',
      `${event.name}, ${formatDateTime(event.startsAt, event.timezone)}`,
      seatLines(seats),
      '',
      `Your tickets, with the QR codes to show at the door: ${orderUrl(order.id)}`,
      'Open them once before you go: they then work without a signal.',
    ].join('\n'),
  };
}

export function seatsLostEmail(order: OrderFacts, event: EventFacts, refundMinor: number): QueuedEmail {
  return {
    to: order.email,
    kind: 'order_seats_lost',
    orderId: order.id,
    subject: `We could not complete order ${order.reference}; you are refunded`,
    text: [
      `Your payment for ${event.name} arrived after your seat hold had ended, and some of the seats had been bought by someone else in the meantime.`,
      `We refunded ${formatMoney(refundMinor, order.currency)} to your card. Banks usually show it within 5 to 10 business days.`,
      '',
      `Details: ${orderUrl(order.id)}`,
    ].join('\n'),
  };
}

export function cancellationEmail(order: OrderFacts, event: EventFacts, refundMinor: number): QueuedEmail {
  return {
    to: order.email,
    kind: 'order_cancelled',
    orderId: order.id,
    subject: `Order ${order.reference} is cancelled`,
    text: [
      `Your tickets for ${event.name} are cancelled and no longer valid.`,
      refundMinor > 0 ? `We are refunding ${formatMoney(refundMinor, order.currency)} to your card; banks usually show it within 5 to 10 business days.` : 'No refund applies under the event’s policy.',
      '',
      `Details: ${orderUrl(order.id)}`,
    ].join('\n'),
  };
}

export function eventCancelledEmail(order: OrderFacts, event: EventFacts, refundMinor: number): QueuedEmail {
  return {
    to: order.email,
    kind: 'event_cancelled',
    orderId: order.id,
    subject: `${event.name} is cancelled; order ${order.reference} is refunded`,
    text: [
      `We are sorry: the organizer cancelled ${event.name} (${formatDateTime(event.startsAt, event.timezone)}). Your tickets are no longer valid.`,
      refundMinor > 0 ? `We are refunding ${formatMoney(refundMinor, order.currency)}, the full price, to your card; banks usually show it within 5 to 10 business days.` : '',
      '',
      `Details: ${orderUrl(order.id)}`,
    ].join('\n'),
  };
}

export function transferEmail(to: string, fromName: string, event: EventFacts, seat: SeatFacts, ticketId: string): QueuedEmail {
  return {
    to,
    kind: 'ticket_transferred',
    subject: `${fromName} sent you a ticket for ${event.name}`,
    text: [
      `${fromName} transferred a ticket to your AdmitOne account.`,
      '',
      `${event.name}, ${formatDateTime(event.startsAt, event.timezone)}`,
      seatLines([seat]),
      '',
      `Your ticket: ${appUrl()}/tickets/${ticketId}`,
    ].join('\n'),
  };
}
