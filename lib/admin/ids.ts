import { AppError } from '@/lib/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that is not a UUID names nothing: 404 before PostgreSQL would refuse it with a 500. */
export function assertId(id: string, what: 'event' | 'venue'): string {
  if (!UUID.test(id)) throw new AppError('NOT_FOUND', `No such ${what}.`);
  return id;
}
