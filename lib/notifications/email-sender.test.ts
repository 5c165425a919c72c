import { describe, expect, it } from 'vitest';
import { maskEmail } from './email-sender';

describe('the console email sender', () => {
  it('logs addresses masked: the first letter and the domain only', () => {
    expect(maskEmail('frankie.fan@example.test')).toBe('f***@example.test');
    expect(maskEmail('a@b.c')).toBe('a***@b.c');
    expect(maskEmail('no-at-sign')).toBe('n***');
  });
});
