import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { issueMessage } from '@/lib/contracts/issue-message';

const messages = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map(issueMessage);
};

describe('validation messages for people', () => {
  it('says what a length or range needs instead of zod’s wording', () => {
    expect(messages(z.string().min(1), '')).toEqual(['Required.']);
    expect(messages(z.string().min(2), 'a')).toEqual(['At least 2 characters.']);
    expect(messages(z.string().max(3), 'abcd')).toEqual(['At most 3 characters.']);
    expect(messages(z.number().int().min(1), 0)).toEqual(['Must be at least 1.']);
    expect(messages(z.number().max(10), 11)).toEqual(['Must be at most 10.']);
    expect(messages(z.number().positive(), 0)).toEqual(['Must be more than 0.']);
    expect(messages(z.array(z.string()).min(1), [])).toEqual(['Add at least 1.']);
  });

  it('keeps a schema’s own message and other kinds of issue', () => {
    expect(messages(z.string().min(1, 'Give the venue a name.'), '')).toEqual(['Give the venue a name.']);
    expect(messages(z.string(), 5)).toEqual([z.string().safeParse(5).error!.issues[0]!.message]);
  });
});
