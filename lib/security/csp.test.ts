import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './csp';

const directives = (policy: string) =>
  new Map(policy.split('; ').map((d) => [d.slice(0, d.indexOf(' ')), d.slice(d.indexOf(' ') + 1).split(' ')]));

describe('the Content-Security-Policy', () => {
  it('allows Stripe.js, its API and the Payment Element’s frames only when a publishable key is set', () => {
    const base = { nonce: 'bm9uY2U=', development: false, https: true };
    const on = directives(contentSecurityPolicy({ ...base, stripe: true }));
    expect(on.get('script-src')).toEqual(expect.arrayContaining(['https://js.stripe.com', 'https://*.js.stripe.com']));
    expect(on.get('connect-src')).toEqual(["'self'", 'https://api.stripe.com']);
    expect(on.get('frame-src')).toEqual([
      'https://js.stripe.com',
      'https://*.js.stripe.com',
      'https://hooks.stripe.com',
      'https://m.stripe.network',
    ]);
    const off = directives(contentSecurityPolicy({ ...base, stripe: false }));
    expect(off.get('frame-src')).toEqual(["'none'"]);
    expect(off.get('connect-src')).toEqual(["'self'"]);
    expect(off.get('script-src')!.join(' ')).not.toContain('stripe');
  });
});
