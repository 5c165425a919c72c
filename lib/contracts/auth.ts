import { z } from 'zod';

const MIN_PASSWORD = 10;
const MAX_NAME = 100;

/**
 * Characters a name never needs and a text template must never receive: C0 and C1 controls (line breaks and tabs
 * included), the line and paragraph separators, and the bidirectional overrides that reorder what a reader sees.
 */
export const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** A person's display name: the same rules for the sign-up form and the JSON API (it appears in other people's emails). */
const displayNameSchema = z
  .string()
  .trim()
  .min(1, 'enter your name')
  .max(MAX_NAME, `use at most ${MAX_NAME} characters`)
  .refine(
    (value) => !UNPRINTABLE.test(value),
    'use letters and spaces only, without line breaks or control characters',
  );

const emailSchema = z.string().trim().toLowerCase().email('enter a valid email address').max(254);

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, 'enter your password').max(128),
});

export const signUpSchema = z.object({
  name: displayNameSchema,
  email: emailSchema,
  password: z
    .string()
    .min(MIN_PASSWORD, `use at least ${MIN_PASSWORD} characters`)
    .max(128, 'use at most 128 characters'),
});

/** Resolves relative paths for the check below; any origin would do, as only "same origin or not" is asked. */
const REFERENCE_ORIGIN = 'https://admitone.invalid';

/**
 * The post-sign-in destination: a path on our own origin, or `fallback`. Decided by the URL parser, the way a
 * browser will read the Location header, never by a pattern: tabs and line breaks are dropped and backslashes read
 * as slashes before anything is compared (`/\t/evil.example` and `/\evil.example` are other hosts), percent-encoded
 * text stays text, and the answer is the parser's normalised path, query and fragment, so no raw CR/LF or space can
 * reach a header. A path that normalises to `//host` is refused too.
 */
export function safeNextPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length > 2_000 || !value.startsWith('/')) return fallback;
  let url: URL;
  try {
    url = new URL(value, REFERENCE_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== REFERENCE_ORIGIN) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith('/') && !path.startsWith('//') ? path : fallback;
}
