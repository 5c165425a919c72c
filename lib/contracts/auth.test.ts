import { describe, expect, it } from 'vitest';
import { safeNextPath } from '@/lib/contracts/auth';

/** Issue 15, item 2: the post-sign-in destination is a path on our own origin, as a browser would read it. */
describe('safeNextPath', () => {
  it('keeps paths on our own origin, normalised by the URL parser', () => {
    expect(safeNextPath('/events/123/queue')).toBe('/events/123/queue');
    expect(safeNextPath('/orders?page=2#top')).toBe('/orders?page=2#top');
    expect(safeNextPath('/a b')).toBe('/a%20b');
    expect(safeNextPath('/./orders/../tickets')).toBe('/tickets');
    expect(safeNextPath('/%2F%2Fevil.example')).toBe('/%2F%2Fevil.example'); // percent-encoded text stays a path here
  });

  it.each([
    ['tab between the slashes (the reported bypass)', '/\t/evil.example'],
    ['line feed between the slashes', '/\n/evil.example'],
    ['carriage return between the slashes', '/\r/evil.example'],
    ['protocol-relative', '//evil.example'],
    ['backslash', '/\\evil.example'],
    ['backslash and tab', '/\t\\evil.example'],
    ['two backslashes', '\\\\evil.example'],
    ['dot segment that normalises to //host', '/.//evil.example'],
    ['absolute URL', 'https://evil.example/'],
    ['scheme-relative with credentials', '//user@evil.example'],
    ['javascript URL', 'javascript:alert(1)'],
    ['relative without a slash', 'evil.example'],
    ['empty', ''],
  ])('refuses %s', (_, value) => {
    expect(safeNextPath(value)).toBe('/');
  });

  it('never returns a raw CR, LF, tab or space, which would break the Location header (the reported 500)', () => {
    for (const value of ['/ok\r\nSet-Cookie: x=1', '/ok\r\n', '/o\tk', '/ok path']) {
      const path = safeNextPath(value);
      expect(path).toMatch(/^\/[^\s]*$/);
      expect(() => new Headers({ location: path })).not.toThrow();
    }
    expect(safeNextPath('/ok\r\nSet-Cookie: x=1')).toBe('/okSet-Cookie:%20x=1');
  });

  it('takes the fallback for anything that is not a single string', () => {
    expect(safeNextPath(['/a', '/b'], '/home')).toBe('/home');
    expect(safeNextPath(undefined, '/home')).toBe('/home');
    expect(safeNextPath(null)).toBe('/');
    expect(safeNextPath(`/${'a'.repeat(3_000)}`)).toBe('/');
  });
});
