import { eventDetailsSchema, searchResultSchema } from '@/lib/contracts/catalog';
import { queueDrawSchema, queueStatusSchema } from '@/lib/contracts/queue';
import { waitlistStatusSchema } from '@/lib/contracts/waitlist';

/**
 * The response contracts of lib/contracts/ that several operations share, named as components so the document
 * refers to them instead of repeating them (`.meta()` returns a named copy; the contracts stay as they are).
 */
export const searchResult = searchResultSchema.meta({ id: 'SearchResult' });
export const eventDetails = eventDetailsSchema.meta({ id: 'EventDetails' });
export const queueStatus = queueStatusSchema.meta({ id: 'QueueStatus' });
export const queueDraw = queueDrawSchema.meta({ id: 'QueueDraw' });
export const waitlistStatus = waitlistStatusSchema.meta({ id: 'WaitlistStatus' });
