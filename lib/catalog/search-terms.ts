/**
 * Splitting a query into search terms, and "did you mean" respelling. Pure functions, shared by the search and its
 * tests.
 */

const MAX_TERMS = 6;
/** Terms this short are matched by prefix only: their trigrams say too little for typo tolerance. */
export const MIN_FUZZY_LENGTH = 3;

/** Lower-case words of letters and digits; everything else (quotes, operators, punctuation) separates words. */
export function searchTerms(q: string): string[] {
  return [...new Set(words(q))].slice(0, MAX_TERMS);
}

const words = (text: string) =>
  text
    .toLowerCase()
    .normalize('NFC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/** A tsquery in which every term must match a word by prefix ("auro" finds "aurora"). Terms hold no operators. */
export const prefixTsQuery = (terms: string[]) => terms.map((t) => `${t}:*`).join(' & ');

/** pg_trgm's trigrams of a word: lower case, padded with two spaces in front and one behind. */
function trigrams(word: string): Set<string> {
  const padded = `  ${word} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return out;
}

/** pg_trgm's similarity() for two single words. */
export function wordSimilarity(a: string, b: string): number {
  const x = trigrams(a);
  const y = trigrams(b);
  let shared = 0;
  for (const t of x) if (y.has(t)) shared++;
  return shared / (x.size + y.size - shared);
}

/** The share of the term's trigrams found in the word (what pg_trgm's word_similarity measures for one word). */
function termCoverage(term: string, word: string): number {
  const x = trigrams(term);
  const y = trigrams(word);
  let shared = 0;
  for (const t of x) if (y.has(t)) shared++;
  return shared / x.size;
}

/**
 * Respells `q` with words from `texts` (names, performers, venues, cities of events that matched loosely): a term
 * that no word starts with becomes the most similar word. Null when nothing changes or a term has no good match.
 */
export function respell(q: string, texts: string[], minCoverage = 0.3): string | null {
  return replaceUnknownTerms(q, texts, (term, vocabulary) => {
    if (term.length < MIN_FUZZY_LENGTH) return null;
    let best = '';
    let bestScore = 0;
    for (const word of vocabulary) {
      // Coverage first (how much of what was typed is there), similarity to break ties (the closest length).
      const score = termCoverage(term, word) + wordSimilarity(term, word) / 100;
      if (score > bestScore) {
        best = word;
        bestScore = score;
      }
    }
    return bestScore < minCoverage ? null : best;
  });
}

/**
 * The query with each term that no word of `texts` starts with replaced by `pick`'s word for it; null when nothing
 * changes or `pick` finds no word for some term. Shared by respell (a suggestion) and correctTypos (a search).
 */
function replaceUnknownTerms(
  q: string,
  texts: string[],
  pick: (term: string, vocabulary: string[]) => string | null,
): string | null {
  const vocabulary = [...new Set(texts.flatMap((text) => words(text)))];
  const terms = searchTerms(q);
  if (terms.length === 0 || vocabulary.length === 0) return null;
  let changed = false;
  const out: string[] = [];
  for (const term of terms) {
    if (vocabulary.some((word) => word.startsWith(term))) {
      out.push(term);
      continue;
    }
    const replacement = pick(term, vocabulary);
    if (replacement === null) return null;
    out.push(replacement);
    changed = true;
  }
  return changed ? out.join(' ') : null;
}

/**
 * Optimal string alignment distance, capped: one insertion, deletion, substitution or swap of two neighbouring
 * letters counts 1. Returns `cap + 1` as soon as the distance is known to exceed `cap`.
 */
function editDistance(a: string, b: string, cap = 2): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > cap) return cap + 1;
  }
  return rows[a.length]![b.length]!;
}

const withoutAccents = (word: string) => word.normalize('NFD').replace(/\p{M}/gu, '');

/** Terms shorter than this are not corrected: a one-letter change turns too many short words into others. */
const MIN_CORRECTABLE_LENGTH = 4;

/**
 * The query with each term that no word of `texts` starts with replaced by the one word it is a single typo away
 * from (a wrong, missing, extra or swapped letter, in any position). Null when a term is further than that from
 * every word, or when two different words are equally close (then the suggestion is not the only likely match).
 */
export function correctTypos(q: string, texts: string[]): string | null {
  return replaceUnknownTerms(q, texts, (term, vocabulary) => {
    if (term.length < MIN_CORRECTABLE_LENGTH) return null;
    // Letters compare without their accents: "miserables" is one swap from "misérables".
    const bare = withoutAccents(term);
    const near = vocabulary.filter((word) => editDistance(bare, withoutAccents(word), 1) <= 1);
    return near.length === 1 ? near[0]! : null;
  });
}

/**
 * Every word one edit from `term` (a letter wrong, missing, extra, or two neighbours swapped), over the letters of
 * the term and a–z. About 53 words per letter of the term: a 10-letter word gives some 540.
 */
function oneEditVariants(term: string): string[] {
  const letters = [...new Set([...'abcdefghijklmnopqrstuvwxyz', ...term])];
  const chars = [...term];
  const out = new Set<string>();
  for (let i = 0; i <= chars.length; i++) {
    const head = chars.slice(0, i).join('');
    const tail = chars.slice(i).join('');
    const rest = chars.slice(i + 1).join('');
    if (i < chars.length) out.add(head + rest);
    if (i + 1 < chars.length) out.add(head + chars[i + 1] + chars[i] + chars.slice(i + 2).join(''));
    for (const c of letters) {
      out.add(head + c + tail);
      if (i < chars.length) out.add(head + c + rest);
    }
  }
  out.delete(term);
  return [...out];
}

/**
 * A tsquery in which each term matches a word by prefix, or, for a term of MIN_CORRECTABLE_LENGTH letters or more,
 * a word exactly one edit away. Terms and variants hold only letters and digits, so no operator reaches it.
 */
export const oneTypoTsQuery = (terms: string[]) =>
  terms
    .map((t) => (t.length >= MIN_CORRECTABLE_LENGTH ? `(${[`${t}:*`, ...oneEditVariants(t)].join(' | ')})` : `${t}:*`))
    .join(' & ');
