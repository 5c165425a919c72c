import { describe, expect, it } from 'vitest';
import { countOf, noun, paymentMethodPhrase, sectionPhrase, seatPhrase } from '@/lib/format';

describe('counts and their nouns', () => {
  it('says one of a thing in the singular and any other count in the plural', () => {
    expect(countOf(1, 'section', 'sections')).toBe('1 section');
    expect(countOf(0, 'section', 'sections')).toBe('0 sections');
    expect(countOf(2, 'minute', 'minutes')).toBe('2 minutes');
    expect(countOf(1, 'person', 'people')).toBe('1 person');
    expect(countOf(1.5, 'hour', 'hours')).toBe('1.5 hours');
    expect(countOf(1200, 'seat', 'seats')).toBe('1,200 seats');
    expect(countOf(1200, 'seat', 'seats', 'de-DE')).toBe('1.200 seats');
    expect(noun(1, 'person', 'people')).toBe('person');
    expect(noun(3, 'person', 'people')).toBe('people');
  });
});

describe('section names', () => {
  it('prefixes "Section" only to numbers and codes, never to a section named by a word', () => {
    expect(sectionPhrase('104')).toBe('Section 104');
    expect(sectionPhrase('A')).toBe('Section A');
    expect(sectionPhrase('S1')).toBe('Section S1');
    expect(sectionPhrase('Stalls')).toBe('Stalls');
    expect(sectionPhrase('Upper Circle')).toBe('Upper Circle');
    expect(sectionPhrase('Section 5')).toBe('Section 5');
    expect(seatPhrase({ sectionLabel: 'Stalls', rowLabel: 'C', seatLabel: '7' })).toBe('Stalls, row C, seat 7');
    expect(seatPhrase({ sectionLabel: '110', rowLabel: '1', seatLabel: '15' })).toBe('Section 110, row 1, seat 15');
  });
});

describe('how an order was paid', () => {
  it('names the wallet before the card, and the card brand when no wallet paid', () => {
    expect(paymentMethodPhrase({ wallet: 'apple_pay', cardBrand: 'visa', cardLast4: '4242' })).toEqual({
      name: 'Apple Pay',
      last4: '4242',
    });
    expect(paymentMethodPhrase({ wallet: 'google_pay', cardBrand: 'mastercard', cardLast4: '4444' })?.name).toBe(
      'Google Pay',
    );
    expect(paymentMethodPhrase({ wallet: null, cardBrand: 'amex', cardLast4: '0005' })?.name).toBe('American Express');
    expect(paymentMethodPhrase({ wallet: 'some_new_wallet', cardBrand: null, cardLast4: null })).toEqual({
      name: 'Some new wallet',
      last4: null,
    });
    expect(paymentMethodPhrase({ wallet: null, cardBrand: null, cardLast4: null })).toBeNull();
  });
});
