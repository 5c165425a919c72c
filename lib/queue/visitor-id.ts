import 'server-only';
import { LRUCache } from 'lru-cache';
import { createHmac } from 'node:crypto';
import { requiredSecret } from '@/lib/env';

const remembered = new LRUCache<string, string>({ max: 50_000 });

/**
 * The queue entry of an account for an event: 16 characters, keyed with the queue secret so a published draw cannot
 * be linked to accounts, and different per event so entries cannot be linked across events. One place per account
 * however many browsers it uses (docs/decisions/011-queue-entries.md). A letter first: no client reads it as a number.
 * Remembered per process: every poll of every visitor asks for it.
 */
export function visitorId(
  eventId: string,
  accountId: string,
  secret: string = requiredSecret('QUEUE_TOKEN_SECRET'),
): string {
  const key = `${secret}\0${eventId}\0${accountId}`;
  let id = remembered.get(key);
  if (!id) {
    id = `q${createHmac('sha256', secret).update(`queue-entry\0${eventId}\0${accountId}`).digest('base64url').slice(0, 15)}`;
    remembered.set(key, id);
  }
  return id;
}
