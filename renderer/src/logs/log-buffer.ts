/**
 * The viewer's bounded line buffer: a ring of the last `bound` lines, addressed by a sequence
 * number that only grows (line `seq` is the `seq`-th line ever appended), so search matches and
 * the "scrolled up" position survive the oldest lines being dropped. Appending is O(lines
 * appended); reading a line by its index in view is O(1). No React here: the store folds a
 * frame's lines into it and bumps a version, the view reads it.
 */

/** One line as the viewer keeps it (the contract's `LogLine`, structurally). */
export interface BufferedLine {
  pod: string;
  container: string;
  time?: string;
  text: string;
}

/** How many lines the viewer keeps (the oldest go first); said in the UI and the download. */
export const LOG_BUFFER_BOUND = 100_000;

export class LogBuffer {
  private readonly ring: (BufferedLine | undefined)[];
  private head = 0; // ring index of the oldest line kept
  private size = 0;
  private next = 0; // sequence number the next appended line gets

  constructor(readonly bound: number = LOG_BUFFER_BOUND) {
    if (!Number.isInteger(bound) || bound <= 0) throw new Error('bound must be a positive integer');
    this.ring = new Array<BufferedLine | undefined>(bound);
  }

  /** Lines kept now. */
  get length(): number {
    return this.size;
  }

  /** Sequence number of the oldest line kept (equals {@link end} when empty). */
  get start(): number {
    return this.next - this.size;
  }

  /** Sequence number the next line will get: lines ever appended. */
  get end(): number {
    return this.next;
  }

  /** Lines dropped from the front since the buffer was made. */
  get dropped(): number {
    return this.start;
  }

  /** Appends in order, dropping the oldest beyond the bound. */
  append(lines: readonly BufferedLine[]): void {
    const cap = this.bound;
    // Only the last `cap` of a huge batch can survive: skip the rest without writing it.
    const from = Math.max(0, lines.length - cap);
    this.next += from;
    if (from > 0) {
      this.head = 0;
      this.size = 0;
    }
    for (let i = from; i < lines.length; i++) {
      const line = lines[i];
      if (!line) continue;
      if (this.size < cap) {
        this.ring[(this.head + this.size) % cap] = line;
        this.size++;
      } else {
        this.ring[this.head] = line;
        this.head = (this.head + 1) % cap;
      }
      this.next++;
    }
  }

  /** The `index`-th kept line (0 = oldest kept), undefined outside. */
  at(index: number): BufferedLine | undefined {
    if (index < 0 || index >= this.size) return undefined;
    return this.ring[(this.head + index) % this.bound];
  }

  /** The line with sequence number `seq`, if still kept. */
  bySeq(seq: number): BufferedLine | undefined {
    return this.at(seq - this.start);
  }

  /** Calls `fn` for every kept line with sequence number ≥ `fromSeq`, oldest first. */
  forEachFrom(fromSeq: number, fn: (line: BufferedLine, seq: number) => void): void {
    const start = this.start;
    for (let i = Math.max(0, fromSeq - start); i < this.size; i++) {
      const line = this.ring[(this.head + i) % this.bound];
      if (line) fn(line, start + i);
    }
  }

  clear(): void {
    this.ring.fill(undefined);
    this.head = 0;
    this.size = 0;
    this.next = 0;
  }
}
