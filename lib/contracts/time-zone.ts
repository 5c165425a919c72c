import { z } from 'zod';

/** True for a time zone the runtime's Intl knows (IANA names such as "Europe/London", and "UTC"). */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone name; an unknown one is a validation error (422), never a crash later when formatting dates. */
export const timeZoneSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine(isTimeZone, { message: 'use an IANA time zone such as Europe/London or America/New_York' });

/** The zones offered in pickers (the runtime's list; UTC first). */
export function timeZoneNames(): string[] {
  const supported = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...supported.filter((z) => z !== 'UTC')];
}
