import 'server-only';
import { appUrl } from '@/lib/env';
import { formatDateTime, formatMoney, seatPhrase } from '@/lib/format';
import type { QueuedEmail } from '@/lib/notifications/deliver-outbox';
import { oneLine } from '@/lib/notifications/order-emails';

type OfferFacts = {
  email: string;
  eventId: string;
  eventName: string;
  timezone: string;
  currency: string;
  expiresAt: Date;
  totalMinor: number;
  seats: { sectionLabel: string; rowLabel: string; seatLabel: string }[];
};

/** The waitlist's offer: which seats are held, until when, and where to pay for them. */
export function offerEmail(offer: OfferFacts): QueuedEmail {
  const name = oneLine(offer.eventName, 140);
  return {
    to: offer.email,
    kind: 'waitlist_offer',
    subject: `Seats for ${name} are held for you`,
    text: [
      `Seats came free for ${name}, and they are held in your name from the waitlist:`,
      ...offer.seats.map(
        (s) =>
          `  - ${seatPhrase({ sectionLabel: oneLine(s.sectionLabel, 40), rowLabel: oneLine(s.rowLabel, 10), seatLabel: oneLine(s.seatLabel, 10) })}`,
      ),
      '',
      `Total ${formatMoney(offer.totalMinor, offer.currency)} plus any fees. Pay by ${formatDateTime(offer.expiresAt, offer.timezone)} (venue time), or they go to the next person in line.`,
      `Pay or decline here: ${appUrl()}/events/${offer.eventId}#waitlist`,
    ].join('\n'),
  };
}
