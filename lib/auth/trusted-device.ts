import 'server-only';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { appUrl, requiredSecret } from '@/lib/env';

/**
 * A browser that signed in to an account before carries a trusted-device cookie for it: `<account>.<device>.<issued>.<mac>`,
 * signed with AUTH_SECRET. Its sign-in attempts have a budget of their own, so an attacker guessing the account's
 * password from elsewhere, who locks it for unknown browsers, does not lock out its owner
 * (docs/decisions/021-sign-in-throttling.md). Nothing else trusts the cookie: it proves no identity and skips no
 * password.
 */
export const TRUSTED_DEVICE_COOKIE = 'a1.device';
const MAX_AGE_S = 180 * 24 * 60 * 60;

const mac = (text: string) =>
  createHmac('sha256', `trusted-device:${requiredSecret('AUTH_SECRET')}`)
    .update(text)
    .digest('base64url')
    .slice(0, 32);

/**
 * The key an email address is limited under: keyed with our secret, so Redis keys and cookies name no address and
 * cannot be matched against a list of addresses without the secret.
 */
export function accountKey(email: string): string {
  return createHmac('sha256', `account-key:${requiredSecret('AUTH_SECRET')}`)
    .update(email.trim().toLowerCase())
    .digest('base64url')
    .slice(0, 22);
}

/** The device id in a valid cookie for `email`, or null (no cookie, another account's, forged, too old). */
export function trustedDeviceFor(
  cookieValue: string | null | undefined,
  email: string,
  now = Date.now(),
): string | null {
  if (!cookieValue || cookieValue.length > 200) return null;
  const parts = cookieValue.split('.');
  if (parts.length !== 4) return null;
  const [account, device, issued, signature] = parts as [string, string, string, string];
  const expected = Buffer.from(mac(`${account}.${device}.${issued}`));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  if (account !== accountKey(email)) return null;
  const issuedS = Number(issued);
  if (!Number.isInteger(issuedS) || issuedS * 1000 > now + 60_000 || issuedS * 1000 + MAX_AGE_S * 1000 < now)
    return null;
  return device;
}

/** The cookie to set after a successful sign-in or sign-up with `email` (the browser keeps its device id). */
export function trustedDeviceCookieFor(email: string, previous: string | null | undefined, now = Date.now()) {
  const device = previous?.split('.')[1];
  const id = device && /^[A-Za-z0-9_-]{16}$/.test(device) ? device : randomBytes(12).toString('base64url');
  const head = `${accountKey(email)}.${id}.${Math.floor(now / 1000)}`;
  return {
    name: TRUSTED_DEVICE_COOKIE,
    value: `${head}.${mac(head)}`,
    options: {
      path: '/',
      maxAge: MAX_AGE_S,
      httpOnly: true,
      sameSite: 'lax' as const,
      secure: appUrl().startsWith('https://'),
    },
  };
}

/** The same as a Set-Cookie header. */
export function trustedDeviceCookie(email: string, previous: string | null | undefined, now = Date.now()): string {
  const { name, value, options } = trustedDeviceCookieFor(email, previous, now);
  return `${name}=${value}; Path=/; Max-Age=${options.maxAge}; HttpOnly; SameSite=Lax${options.secure ? '; Secure' : ''}`;
}

/** The cookie's value in a Cookie header. */
export function readTrustedDeviceCookie(cookieHeader: string | null): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(/;\s*/))
    if (part.startsWith(`${TRUSTED_DEVICE_COOKIE}=`)) return part.slice(TRUSTED_DEVICE_COOKIE.length + 1);
  return null;
}
