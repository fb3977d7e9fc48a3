/**
 * POSIX shell quoting. Every command the engine sends is built from quoted words, so a host
 * name, path or user value can never become shell syntax.
 *
 * @see https://pubs.opengroup.org/onlinepubs/9699919799/utilities/V3_chap02.html#tag_18_02_02
 */

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes one word for `sh`: safe words stay bare, others go in single quotes (`'` → `'\''`). */
export function shellQuote(word: string): string {
  if (word.length > 0 && SAFE.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Quotes every word and joins them with spaces: `shellJoin(['ls', '-l', 'a b'])`. */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}
