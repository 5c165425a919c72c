/**
 * The hash tag every key of one event carries, so each script touches a single Redis Cluster slot. Every port that
 * keys by event (seat claims, the queue, leases on an event) builds its keys from it.
 */
export const eventTag = (eventId: string) => `{ev:${eventId}}`;
