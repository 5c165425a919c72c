import { describe, expect, it } from 'vitest';
import { passwordProblem } from '@/lib/auth/password-policy.server';

describe('password policy for new accounts', () => {
  it('refuses common and repetitive passwords, and says why and what to do', () => {
    expect(passwordProblem('password123')).toMatch(
      /too easy to guess: it is one of the most common passwords.*Use three or four unrelated words/,
    );
    expect(passwordProblem('aaaaaaaaaa')).toMatch(/repeats the same characters/);
    expect(passwordProblem('qwertyuiop')).toMatch(/too easy to guess/);
    expect(passwordProblem('1234567890')).toMatch(/too easy to guess/);
    expect(passwordProblem('iloveyou12')).not.toBeNull();
  });

  it('refuses a password made of the person’s own name or email', () => {
    expect(
      passwordProblem('margarethe.okonkwo', { email: 'margarethe.okonkwo@example.test', name: 'Margarethe Okonkwo' }),
    ).toMatch(/your name or email/);
  });

  it('accepts passphrases, the demo accounts’ passwords and the ones the tests sign up with', () => {
    for (const password of [
      'correct horse battery staple',
      'admitone-admin',
      'admitone-buyer',
      'a long enough password',
      'a long enough passphrase',
      'hunter2-password',
      'violet kettle marathon 47',
    ]) {
      expect(passwordProblem(password), password).toBeNull();
    }
  });
});
