import 'server-only';
import { createHash, randomBytes } from 'node:crypto';

/** A device token: 256 random bits, shown once in the pairing link; the database keeps only its SHA-256. */
export const SCANNER_TOKEN_PREFIX = 'aos_';

export function makeScannerToken(): string {
  return SCANNER_TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function hashScannerToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** How long a pairing lasts: until a day after the event starts, and at least a day from now. */
export function deviceExpiry(startsAt: Date, now: Date): Date {
  return new Date(Math.max(startsAt.getTime(), now.getTime()) + 24 * 3_600_000);
}
