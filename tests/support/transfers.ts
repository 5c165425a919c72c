import { desc, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { emailOutbox } from '@/db/schema';

/** The claim link's secret from the newest transfer email to `email`: what the recipient clicks. */
export async function claimTokenSentTo(db: Database, email: string): Promise<string> {
  const [sent] = await db
    .select({ text: emailOutbox.textBody })
    .from(emailOutbox)
    .where(eq(emailOutbox.toEmail, email.toLowerCase()))
    .orderBy(desc(emailOutbox.createdAt))
    .limit(1);
  const token = sent?.text.match(/\/tickets\/claim\?token=([A-Za-z0-9_-]{43})/)?.[1];
  if (!token) throw new Error(`no transfer email with a claim link to ${email}`);
  return token;
}
