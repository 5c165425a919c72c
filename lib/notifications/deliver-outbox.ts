import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { emailOutbox } from '@/db/schema';
import { rows, ts } from '@/db/sql';
import { log } from '@/lib/observability/log';
import type { EmailSender } from './email-sender';

export type QueuedEmail = { to: string; subject: string; text: string; kind: string; orderId?: string | null };

/** Adds a message to the outbox inside the caller's transaction: it exists exactly when the change it reports does. */
export async function queueEmail(tx: Database, message: QueuedEmail): Promise<void> {
  await tx.insert(emailOutbox).values({
    toEmail: message.to,
    subject: message.subject,
    textBody: message.text,
    kind: message.kind,
    orderId: message.orderId ?? null,
  });
}

/**
 * Sends what the outbox holds. A batch is claimed by one conditional update (SKIP LOCKED: two deliverers, on one
 * instance or several, never take the same message) before sending; a failed send puts its message back.
 */
export async function deliverOutbox(
  db: Database,
  sender: EmailSender,
  options: { now?: () => Date; limit?: number } = {},
): Promise<number> {
  const at = (options.now ?? (() => new Date()))();
  const claimed = await rows<{ id: string; to_email: string; subject: string; text_body: string; kind: string }>(
    db,
    sql`update email_outbox set sent_at = ${ts(at)}
        where id in (select id from email_outbox where sent_at is null order by created_at limit ${options.limit ?? 50} for update skip locked)
        returning id, to_email, subject, text_body, kind`,
  );
  let sent = 0;
  for (const row of claimed) {
    try {
      await sender.send({ id: row.id, to: row.to_email, subject: row.subject, text: row.text_body, kind: row.kind });
      sent++;
    } catch (error) {
      log().warn({ err: error, emailId: row.id }, 'email not sent; it stays in the outbox');
      await db
        .update(emailOutbox)
        .set({ sentAt: null })
        .where(and(eq(emailOutbox.id, row.id), eq(emailOutbox.sentAt, at)));
    }
  }
  return sent;
}

/** Plain module state: two copies of this module would at worst deliver at once, which SKIP LOCKED makes harmless. */
const outbox: { timer?: ReturnType<typeof setTimeout>; running?: Promise<unknown>; again?: boolean } = {};
/** How soon after a commit that queued mail this process delivers it (the deliver-outbox job runs anyway). */
const NUDGE_MS = 100;

/**
 * Asks this process to deliver the outbox soon, outside the request that queued the mail: a checkout answers
 * without waiting for email, and many checkouts in a burst share one delivery.
 */
export function nudgeOutbox(deps: { db: Database; email: EmailSender }): void {
  if (outbox.timer) return;
  outbox.timer = setTimeout(() => {
    outbox.timer = undefined;
    if (outbox.running) {
      outbox.again = true;
      return;
    }
    outbox.running = deliverOutbox(deps.db, deps.email)
      .catch((error: unknown) => log().warn({ err: error }, 'outbox delivery failed; the deliver-outbox job retries'))
      .finally(() => {
        outbox.running = undefined;
        if (outbox.again) {
          outbox.again = false;
          nudgeOutbox(deps);
        }
      });
  }, NUDGE_MS);
  outbox.timer.unref?.();
}

/** Tests: wait until mail nudged so far has been delivered. */
export async function outboxSettled(): Promise<void> {
  while (outbox.timer || outbox.running) await new Promise((resolve) => setTimeout(resolve, 20));
}
