import 'server-only';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { emailOutbox } from '@/db/schema';
import { log } from '@/lib/observability/log';
import type { EmailSender } from './email-sender';

export type QueuedEmail = { to: string; subject: string; text: string; kind: string; orderId?: string | null };

/** Adds a message to the outbox inside the caller's transaction: it exists exactly when the change it reports does. */
export async function queueEmail(tx: Database, message: QueuedEmail): Promise<void> {
  await tx.insert(emailOutbox).values({ toEmail: message.to, subject: message.subject, textBody: message.text, kind: message.kind, orderId: message.orderId ?? null });
}

/**
 * Sends what the outbox holds. Each row is claimed by a conditional update before sending, so two deliverers never
 * send the same message; a failed send puts it back for the next run.
 */
export async function deliverOutbox(db: Database, sender: EmailSender, options: { now?: () => Date; limit?: number } = {}): Promise<number> {
  const now = options.now ?? (() => new Date());
  const waiting = await db.select().from(emailOutbox).where(isNull(emailOutbox.sentAt)).orderBy(asc(emailOutbox.createdAt)).limit(options.limit ?? 50);
  let sent = 0;
  for (const row of waiting) {
    const at = now();
    const [claimed] = await db
      .update(emailOutbox)
      .set({ sentAt: at })
      .where(and(eq(emailOutbox.id, row.id), isNull(emailOutbox.sentAt)))
      .returning({ id: emailOutbox.id });
    if (!claimed) continue;
    try {
      await sender.send({ id: row.id, to: row.toEmail, subject: row.subject, text: row.textBody, kind: row.kind });
      sent++;
    } catch (error) {
      log().warn({ err: error, emailId: row.id }, 'email not sent; it stays in the outbox');
      await db.update(emailOutbox).set({ sentAt: null }).where(and(eq(emailOutbox.id, row.id), eq(emailOutbox.sentAt, at)));
    }
  }
  return sent;
}
