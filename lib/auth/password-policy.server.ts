import 'server-only';
import { ZxcvbnFactory, type ZxcvbnResult } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

/**
 * zxcvbn's score (0–4) a new password needs. 3 is "safely unguessable": about 10^8 guesses or more, past what an
 * online attacker gets through the sign-in limits and slow for an offline one against our hashes. "password123"
 * and "aaaaaaaaaa" score 0; three or four unrelated words score 4.
 */
const MIN_PASSWORD_SCORE = 3;

/** Built once: the common-password and name lists (about 1.9 MB, server only) load on the first sign-up. */
let checker: ZxcvbnFactory | undefined;
const zxcvbn = () => (checker ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs }));

const ADVICE = 'Use three or four unrelated words, or a longer mix of words and numbers.';

const REASONS: Record<string, string> = {
  repeat: 'it repeats the same characters',
  sequence: 'it is a simple sequence (like abcd or 1234)',
  spatial: 'it follows a keyboard pattern (like qwerty)',
  date: 'it is built around a date',
  dictionary: 'it is one of the most common passwords, or close to one',
  userInputs: 'it contains your name or email address',
};

/** Why zxcvbn could guess it: the longest part of the password it recognised, in words a person understands. */
function reasonOf(result: ZxcvbnResult): string {
  const parts = [...result.sequence]
    .filter((m) => m.pattern !== 'bruteforce')
    .sort((a, b) => b.token.length - a.token.length);
  const main = parts[0];
  if (!main) return 'it is too easy to guess';
  if (main.pattern === 'dictionary' && 'dictionaryName' in main && main.dictionaryName === 'userInputs')
    return REASONS.userInputs!;
  return REASONS[main.pattern] ?? 'it is too easy to guess';
}

/**
 * Null when the password is strong enough for a new account, else a sentence saying why not and what to do. The
 * person's email and name count as known words: "jane.doe2024" is weak for jane.doe@example.com.
 */
export function passwordProblem(password: string, personal: { email?: string; name?: string } = {}): string | null {
  const inputs = [
    personal.email ?? '',
    ...(personal.email ?? '').split(/[@.+_-]/),
    ...(personal.name ?? '').split(/\s+/),
  ].filter((w) => w.length >= 3);
  const result = zxcvbn().check(password.slice(0, 128), inputs);
  // zxcvbn rates "margarethe.okonkwo" fairly strong for anyone, but not for Margarethe Okonkwo: the first thing an
  // attacker who knows the email tries. Half the password or more taken from them is refused whatever the score.
  const personalLength = result.sequence
    .filter((m) => m.pattern === 'dictionary' && 'dictionaryName' in m && m.dictionaryName === 'userInputs')
    .reduce((n, m) => n + m.token.length, 0);
  if (personalLength * 2 >= password.length)
    return `This password is too easy to guess: ${REASONS.userInputs}. ${ADVICE}`;
  if (result.score >= MIN_PASSWORD_SCORE) return null;
  return `This password is too easy to guess: ${reasonOf(result)}. ${ADVICE}`;
}
