import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/contracts/uuid';

/** A path id that is not a UUID names nothing: 404 before PostgreSQL would refuse it with a 500. */
export function assertId(id: string, what: 'event' | 'venue'): string {
  if (!isUuid(id)) throw new AppError('NOT_FOUND', `No such ${what}.`);
  return id;
}
