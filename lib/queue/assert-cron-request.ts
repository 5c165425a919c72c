import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import { requiredSecret } from '@/lib/env';
import { AppError } from '@/lib/errors';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Cron routes: `Authorization: Bearer $CRON_SECRET`, compared in constant time (digests first: equal lengths). */
export function assertCronRequest(headers: Headers): void {
  const given = digest(headers.get('authorization') ?? '');
  const expected = digest(`Bearer ${requiredSecret('CRON_SECRET')}`);
  if (!timingSafeEqual(given, expected)) throw new AppError('UNAUTHENTICATED', 'This route needs the cron secret.');
}
