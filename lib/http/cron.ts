import 'server-only';
import { timingSafeEqual } from 'node:crypto';
import { requiredSecret } from '@/lib/env';
import { AppError } from '@/lib/errors';

/** Cron routes take `Authorization: Bearer $CRON_SECRET`, compared in constant time. */
export function requireCronSecret(headers: Headers): void {
  const expected = Buffer.from(`Bearer ${requiredSecret('CRON_SECRET')}`);
  const given = Buffer.from(headers.get('authorization') ?? '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new AppError('UNAUTHENTICATED', 'This route needs the cron secret.');
}
