import 'server-only';
import { log } from '@/lib/observability/log';
import { processSingleton } from '@/lib/process-singletons';

export type OutgoingEmail = { id: string; to: string; subject: string; text: string; kind: string };

/** Where confirmation messages go. Pluggable: an SMTP or API sender implements the same method. */
export interface EmailSender {
  readonly name: string;
  send(message: OutgoingEmail): Promise<void>;
}

/**
 * The embedded and dev sender: logs that a message went out, with the address masked (logs are kept and shipped
 * where personal data should not be); the text only at debug level. The outbox row stays as the record of what was
 * sent, and the orders desk shows it.
 */
export class ConsoleEmailSender implements EmailSender {
  readonly name = 'console';
  async send(message: OutgoingEmail): Promise<void> {
    log().info(
      { emailId: message.id, to: maskEmail(message.to), kind: message.kind, subject: message.subject },
      `email: ${message.subject}`,
    );
    log().debug({ emailId: message.id }, message.text);
  }
}

/** "frankie.fan@example.test" -> "f***@example.test". */
export const maskEmail = (address: string) =>
  address.replace(/^(.)[^@]*(@.*)?$/, (_, first: string, domain?: string) => `${first}***${domain ?? ''}`);

const slot = processSingleton<{ current?: EmailSender }>('emailSender', () => ({}));

export function getEmailSender(): EmailSender {
  return (slot.current ??= new ConsoleEmailSender());
}

export function setEmailSenderForTests(sender: EmailSender | undefined): void {
  slot.current = sender;
}
