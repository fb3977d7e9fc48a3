/**
 * Log bodies arrive as chunks cut anywhere (inside a line, inside a UTF-8 character); the view
 * wants whole lines. {@link LineSplitter} decodes UTF-8 across chunk boundaries and keeps the
 * unfinished tail until its newline arrives (or the stream ends).
 *
 * With `timestamps=true` the kubelet prefixes every line with its RFC 3339 (nanosecond) time and
 * one space; {@link splitTimestamp} separates the two so the view can show or hide the time.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#get-read-log-of-the-specified-pod
 * @see https://nodejs.org/api/util.html#class-utiltextdecoder (`stream: true`)
 */

export class LineSplitter {
  readonly #decoder = new TextDecoder('utf-8');
  readonly #maxLine: number;
  #tail = '';

  /**
   * @param maxLine characters after which an unfinished line is sent as it is (a process that
   * writes megabytes without a newline must not grow the backend's memory); default 64 Ki.
   */
  constructor(maxLine = 64 * 1024) {
    this.#maxLine = maxLine;
  }

  /** The whole lines completed by `chunk` (without their `\n`, a `\r` before it dropped). */
  push(chunk: Uint8Array): string[] {
    const text = this.#tail + this.#decoder.decode(chunk, { stream: true });
    const parts = text.split('\n');
    this.#tail = parts.pop() ?? '';
    while (this.#tail.length > this.#maxLine) {
      parts.push(this.#tail.slice(0, this.#maxLine));
      this.#tail = this.#tail.slice(this.#maxLine);
    }
    return parts.map(stripCr);
  }

  /** The last line when the stream ended without a newline (e.g. cut by `limitBytes`). */
  end(): string[] {
    const rest = this.#tail + this.#decoder.decode();
    this.#tail = '';
    return rest === '' ? [] : [stripCr(rest)];
  }
}

const stripCr = (line: string): string => (line.endsWith('\r') ? line.slice(0, -1) : line);

/** RFC 3339 with optional fraction and a zone, as the kubelet writes it. */
const STAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) ?/;

/** A timestamped line's time and text; a line without a stamp keeps its text whole. */
export function splitTimestamp(line: string): { time?: string; text: string } {
  const m = STAMP.exec(line);
  if (!m?.[1]) return { text: line };
  return { time: m[1], text: line.slice(m[0].length) };
}
