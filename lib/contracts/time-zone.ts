import { z } from 'zod';

/** True for a time zone the runtime's Intl knows (IANA names such as "Europe/London", and "UTC"). */
function isTimeZone(value: string): boolean {
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

/** The wall-clock reading ("2026-12-01T19:30") of an instant in a time zone, as a datetime-local input shows it. */
export function toWallTime(date: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/**
 * The instant at which the wall clock in `timeZone` reads `wall` ("2026-12-01T19:30"); null when it is not a date.
 * Around a DST change a skipped reading moves forward, a repeated one takes the first instant.
 */
export function fromWallTime(wall: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(wall);
  if (!m || !isTimeZone(timeZone)) return null;
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  let guess = asUtc;
  for (let i = 0; i < 3; i++) {
    const shown = toWallTime(new Date(guess), timeZone);
    const [d, t] = shown.split('T') as [string, string];
    const [y, mo, da] = d.split('-').map(Number) as [number, number, number];
    const [h, mi] = t.split(':').map(Number) as [number, number];
    const diff = Date.UTC(y, mo - 1, da, h, mi) - asUtc;
    if (diff === 0) break;
    guess -= diff;
  }
  return new Date(guess);
}
