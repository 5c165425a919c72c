import { describe, expect, it } from 'vitest';
import { respell, searchTerms, wordSimilarity } from '@/lib/catalog/search-terms';
import { decodeCursor, encodeCursor } from '@/lib/catalog/search-cursor';
import { formatClock, formatRemaining } from '@/components/catalog/on-sale-countdown';
import { normalizeSearch, parseSearchParamsLeniently, searchHref, searchQuerySchema } from '@/lib/contracts/catalog';

describe('search query contract', () => {
  it('normalises words and picks relevance only when there are words', () => {
    expect(normalizeSearch(searchQuerySchema.parse({ q: '  Aurora   Lane ' }))).toMatchObject({
      q: 'Aurora Lane',
      sort: 'relevance',
      limit: 12,
    });
    expect(normalizeSearch(searchQuerySchema.parse({ sort: 'relevance' }))).toMatchObject({ q: '', sort: 'date' });
    expect(normalizeSearch(searchQuerySchema.parse({ q: 'x', sort: 'date' })).sort).toBe('date');
  });

  it('lets a page keep the valid part of a shared link', () => {
    expect(
      parseSearchParamsLeniently({ q: 'hamlet', category: 'opera', from: '2026-13-40', utm_source: 'mail' }),
    ).toEqual({ query: { q: 'hamlet' }, ignored: ['category', 'from'] });
    expect(parseSearchParamsLeniently({ from: '2026-12-10', to: '2026-12-01' }).ignored).toEqual(['to']);
  });

  it('builds shareable links that drop defaults and the cursor', () => {
    const search = normalizeSearch({ q: 'jazz', city: 'Boston', cursor: 'abc' });
    expect(searchHref(search)).toBe('/events?q=jazz&city=Boston');
    expect(searchHref(search, { city: undefined, category: 'concert' })).toBe('/events?q=jazz&category=concert');
    expect(searchHref(search, { cursor: 'next' })).toBe('/events?q=jazz&city=Boston&cursor=next');
    expect(searchHref(normalizeSearch({ q: 'jazz', sort: 'date' }))).toBe('/events?q=jazz&sort=date');
  });
});

describe('search terms', () => {
  it('splits on anything that is not a letter or digit, so tsquery syntax cannot leak in', () => {
    expect(searchTerms("O'Brien & | !Hamlet:* (2026)")).toEqual(['o', 'brien', 'hamlet', '2026']);
    expect(searchTerms('Les Misérables les')).toEqual(['les', 'misérables']);
  });

  it('computes pg_trgm similarity for single words', () => {
    expect(wordSimilarity('hamlet', 'hamlet')).toBe(1);
    expect(wordSimilarity('hamlit', 'hamlet')).toBeCloseTo(4 / 10);
  });

  it('respells misspelt words from nearby vocabulary and keeps prefixes', () => {
    expect(respell('auroa lane', ['Aurora Lane World Tour', 'Aurora Lane'])).toBe('aurora lane');
    expect(respell('aurora la', ['Aurora Lane'])).toBeNull();
    expect(respell('zzqxv', ['Hamlet'])).toBeNull();
  });
});

describe('cursor', () => {
  const search = normalizeSearch({ q: 'hamlet' });
  it('round-trips and refuses another search', () => {
    const cursor = encodeCursor(search, {
      rank: '1.2345',
      startsAt: '2026-12-01T19:00:00.000Z',
      id: '6f1c2a4e-7d0b-4c1f-9b7a-0a1b2c3d4e5f',
    });
    expect(decodeCursor(search, cursor)).toMatchObject({ rank: '1.2345', sort: 'relevance' });
    expect(() => decodeCursor(normalizeSearch({ q: 'macbeth' }), cursor)).toThrow(/different search/);
    expect(() => decodeCursor(search, 'e30')).toThrow(/not valid/);
  });
});

describe('on-sale countdown text', () => {
  it('shows the two largest units', () => {
    expect(formatRemaining(2 * 86_400_000 + 3 * 3_600_000 + 5_000)).toBe('2 days 3 hours');
    expect(formatRemaining(3_600_000 + 60_000)).toBe('1 hour 1 minute');
    expect(formatRemaining(61_000)).toBe('1 minute 1 second');
    expect(formatRemaining(400)).toBe('1 second');
    expect(formatRemaining(-5)).toBe('0 seconds');
    expect(formatClock(3_600_000 + 65_000)).toBe('1:01:05');
    expect(formatClock(65_000)).toBe('1:05');
    expect(formatClock(0)).toBe('0:00');
  });
});
