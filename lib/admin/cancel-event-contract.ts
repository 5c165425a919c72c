import { z } from 'zod';

/** POST /api/admin/events/{id}/cancel: the organizer types the event's name to confirm. No server imports. */
export const cancelEventRequestSchema = z
  .object({
    confirmName: z
      .string({ error: 'type the event name to confirm' })
      .trim()
      .min(1, 'type the event name to confirm')
      .max(200),
  })
  .strict();
export type CancelEventRequest = z.infer<typeof cancelEventRequestSchema>;

/** The names match when they are equal apart from case and surrounding or repeated spaces. */
export const sameEventName = (typed: string, name: string) => {
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
  return norm(typed) === norm(name);
};
