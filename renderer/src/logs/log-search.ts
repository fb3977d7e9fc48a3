/**
 * Regex search over the buffer: the pattern compiled once (an invalid one said in words, not
 * thrown), the lines that match kept as sequence numbers (see log-buffer.ts) and extended with
 * each frame's new lines only, and a line split into plain and highlighted parts for the view.
 *
 * @see https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/RegExp
 */
import type { BufferedLine, LogBuffer } from './log-buffer.ts';

export type CompiledSearch =
  { kind: 'none' } | { kind: 'ok'; regex: RegExp } | { kind: 'invalid'; message: string };

/** Compiles what the user typed; case-insensitive unless `matchCase`. Empty → no search. */
export function compileSearch(pattern: string, matchCase = false): CompiledSearch {
  if (pattern === '') return { kind: 'none' };
  try {
    // `g` for matchAll in highlighting; tests use a fresh lastIndex (see lineMatches).
    return { kind: 'ok', regex: new RegExp(pattern, matchCase ? 'gu' : 'giu') };
  } catch (err) {
    const why =
      err instanceof Error ? err.message.replace(/^Invalid regular expression: /, '') : '';
    return {
      kind: 'invalid',
      message: `“${pattern}” is not a valid regular expression${why ? ` (${why})` : ''}. Escape special characters such as ( [ * + ? with a backslash to search for them literally.`,
    };
  }
}

/** Whether a line's text matches. */
export function lineMatches(regex: RegExp, line: BufferedLine): boolean {
  regex.lastIndex = 0;
  const hit = regex.test(line.text);
  // A `g` regex keeps where its last match ended; left there, matchAll in splitMatches (which
  // starts its copy at lastIndex) would skip a match at the start of the next line.
  regex.lastIndex = 0;
  return hit;
}

/** A line's text cut into runs; `hit` runs are matches to highlight. */
export interface TextRun {
  text: string;
  hit: boolean;
}

/** Splits `text` at the matches of `regex` (empty matches are skipped, so `a*` cannot loop). */
export function splitMatches(regex: RegExp, text: string): TextRun[] {
  const runs: TextRun[] = [];
  let at = 0;
  regex.lastIndex = 0;
  for (const m of text.matchAll(regex)) {
    const i = m.index;
    const s = m[0];
    if (s === '') continue;
    if (i > at) runs.push({ text: text.slice(at, i), hit: false });
    runs.push({ text: s, hit: true });
    at = i + s.length;
  }
  if (at < text.length || runs.length === 0) runs.push({ text: text.slice(at), hit: false });
  return runs;
}

/**
 * Matching lines of a buffer, kept up to date as lines arrive: {@link update} scans only the
 * lines appended since the last call and forgets matches that were dropped from the front.
 */
export class SearchIndex {
  private seqs: number[] = [];
  private first = 0; // index in `seqs` of the first match still in the buffer
  private scanned = 0; // sequence number up to which lines were scanned

  constructor(
    private readonly regex: RegExp,
    private readonly buffer: LogBuffer,
  ) {}

  /** Scans new lines; returns whether the matches changed. */
  update(): boolean {
    let changed = false;
    const start = this.buffer.start;
    while (this.first < this.seqs.length && (this.seqs[this.first] ?? 0) < start) {
      this.first++;
      changed = true;
    }
    // Compact now and then so the array does not grow forever under a long follow.
    if (this.first > 4096 && this.first * 2 > this.seqs.length) {
      this.seqs = this.seqs.slice(this.first);
      this.first = 0;
    }
    if (this.buffer.end > this.scanned) {
      this.buffer.forEachFrom(Math.max(this.scanned, start), (line, seq) => {
        if (lineMatches(this.regex, line)) {
          this.seqs.push(seq);
          changed = true;
        }
      });
      this.scanned = this.buffer.end;
    }
    return changed;
  }

  /** Matching lines kept now. */
  get count(): number {
    return this.seqs.length - this.first;
  }

  /** Sequence number of the `i`-th match (0 = oldest). */
  seqAt(i: number): number | undefined {
    return i >= 0 && i < this.count ? this.seqs[this.first + i] : undefined;
  }

  /** Index (in matches) of the first match at or after `seq`, or `count` when none. */
  indexAtOrAfter(seq: number): number {
    let lo = this.first;
    let hi = this.seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.seqs[mid] ?? 0) < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo - this.first;
  }

  /** Whether line `seq` matches (binary search; for highlighting the lines in view). */
  has(seq: number): boolean {
    return this.seqs[this.first + this.indexAtOrAfter(seq)] === seq;
  }
}
