import { describe, expect, it } from 'vitest';
import { allowedOrigins, crossOriginRefusal, hostMismatchRefusal } from '@/lib/http/same-origin';

/** Issue 15, item 4: which requests count as our own origin. */
describe('same-origin rule', () => {
  const ours = allowedOrigins('https://tickets.example.com');
  const refused = (headers: Record<string, string>, allowed = ours) =>
    crossOriginRefusal(new Headers(headers), allowed) !== null;

  it('accepts our own origin, and browsers that say same-origin or user-initiated', () => {
    expect(refused({ origin: 'https://tickets.example.com' })).toBe(false);
    expect(refused({ 'sec-fetch-site': 'same-origin' })).toBe(false);
    expect(refused({ 'sec-fetch-site': 'none' })).toBe(false);
  });

  it('refuses another origin, even on the same host or site, and the opaque origin', () => {
    expect(refused({ origin: 'https://tickets.example.com:8443' })).toBe(true);
    expect(refused({ origin: 'http://tickets.example.com' })).toBe(true);
    expect(refused({ origin: 'https://evil.example.com' })).toBe(true);
    expect(refused({ origin: 'null' })).toBe(true);
    expect(refused({ 'sec-fetch-site': 'same-site' })).toBe(true);
    expect(refused({ 'sec-fetch-site': 'cross-site' })).toBe(true);
    // Origin decides when both are present.
    expect(refused({ origin: 'https://evil.example.com', 'sec-fetch-site': 'same-origin' })).toBe(true);
  });

  it('lets a client that is not a browser (no Origin, no Sec-Fetch-Site) through to authentication', () => {
    expect(refused({})).toBe(false);
  });

  it('treats the other loopback names of the same port as ours when the app runs on loopback, never another port', () => {
    const local = allowedOrigins('http://localhost:3000');
    expect(refused({ origin: 'http://127.0.0.1:3000' }, local)).toBe(false);
    expect(refused({ origin: 'http://[::1]:3000' }, local)).toBe(false);
    expect(refused({ origin: 'http://localhost:3001' }, local)).toBe(true);
    expect(refused({ origin: 'http://127.0.0.1:8080' }, local)).toBe(true);
    expect(allowedOrigins('https://tickets.example.com').has('http://localhost:3000')).toBe(false);
  });

  it('refuses an Origin of ours addressed to another host, as Next would (with a 500) for a server action', () => {
    const mismatch = (headers: Record<string, string>) => hostMismatchRefusal(new Headers(headers)) !== null;
    expect(mismatch({ origin: 'http://localhost:3000', host: 'localhost:3000' })).toBe(false);
    expect(mismatch({ origin: 'http://localhost:3000', host: '127.0.0.1:3000' })).toBe(true);
    // X-Forwarded-Host wins over Host, its first value only, as in Next's own check.
    expect(mismatch({ origin: 'https://t.example', host: 'app:3000', 'x-forwarded-host': 't.example, proxy' })).toBe(
      false,
    );
    expect(mismatch({ origin: 'https://t.example', host: 't.example', 'x-forwarded-host': 'evil.example' })).toBe(true);
    expect(mismatch({ origin: 'http://localhost:3000' })).toBe(true);
    expect(mismatch({ host: 'localhost:3000' })).toBe(false);
  });
});
