import type { z } from 'zod';

/**
 * A validation issue in words a person can act on. zod's own wording for length and range ("Too small: expected
 * string to have >=1 characters") is replaced; a message a schema wrote itself is kept as it is.
 */
export function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'too_small' && issue.code !== 'too_big') return issue.message;
  if (!/^Too (small|big):/.test(issue.message)) return issue.message;
  const small = issue.code === 'too_small';
  const bound = Number(small ? issue.minimum : issue.maximum);
  switch (issue.origin) {
    case 'string':
      if (small && bound <= 1) return 'Required.';
      return small ? `At least ${bound} characters.` : `At most ${bound} characters.`;
    case 'array':
    case 'set':
      return small ? `Add at least ${bound}.` : `At most ${bound} allowed.`;
    case 'number':
    case 'int':
    case 'bigint':
      if (issue.inclusive === false) return small ? `Must be more than ${bound}.` : `Must be less than ${bound}.`;
      return small ? `Must be at least ${bound}.` : `Must be at most ${bound}.`;
    default:
      return issue.message;
  }
}
