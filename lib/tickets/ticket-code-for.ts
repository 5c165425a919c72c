import 'server-only';
import type { Database } from '@/db/client';
import { getEventSigningKey } from './get-event-signing-key';
import { signStaticCode } from './ticket-code';

export type CodeSubject = {
  id: string;
  eventId: string;
  nonce: string;
  issuedAt: Date;
  sectionLabel: string;
  rowLabel: string;
  seatLabel: string;
};

export const seatText = (t: { sectionLabel: string; rowLabel: string; seatLabel: string }) =>
  `${t.sectionLabel} / ${t.rowLabel} / ${t.seatLabel}`;

/** The static signed code of a live ticket. Ed25519 signatures are deterministic: the same ticket, the same code. */
export async function ticketCodeFor(db: Database, ticket: CodeSubject): Promise<string> {
  const key = await getEventSigningKey(db, ticket.eventId);
  return signStaticCode(key.privateKey, {
    t: ticket.id,
    e: ticket.eventId,
    n: ticket.nonce,
    s: seatText(ticket),
    i: Math.floor(ticket.issuedAt.getTime() / 1000),
  });
}
