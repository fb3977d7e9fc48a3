/**
 * Check progress on stderr (stdout stays clean for the table or `--json`). On a terminal each
 * host has one line, redrawn in place as its steps advance; elsewhere (CI, pipes) every step
 * transition is one plain line, so logs read top to bottom.
 *
 * @see https://en.wikipedia.org/wiki/ANSI_escape_code#CSI_(Control_Sequence_Introducer)_sequences
 */
import type { Writable } from 'node:stream';
import type { ProgressEvent } from '@nodeless/host-bootstrap';

const CLEAR_LINE = '\x1b[2K';
const up = (n: number) => `\x1b[${n}A`;

function line(e: ProgressEvent): string {
  const mark = e.state === 'failed' ? 'x' : e.state === 'done' ? '+' : '~';
  return `[${e.current}/${e.max}] ${mark} ${e.host}: ${e.step} — ${e.description}`;
}

export interface ProgressPrinter {
  onProgress(event: ProgressEvent): void;
}

/** A printer for `stream`; `tty` selects in-place redraws. */
export function progressPrinter(stream: Writable, tty: boolean): ProgressPrinter {
  if (!tty) return { onProgress: (e) => void stream.write(`${line(e)}\n`) };
  const order: string[] = [];
  const current = new Map<string, string>();
  let onScreen = 0;
  return {
    onProgress(e) {
      if (!current.has(e.host)) order.push(e.host);
      current.set(e.host, line(e));
      // Redraw the whole block: hosts advance concurrently, any of their lines may change.
      let out = onScreen > 0 ? up(onScreen) : '';
      for (const host of order) out += `\r${CLEAR_LINE}${current.get(host) ?? ''}\n`;
      onScreen = order.length;
      stream.write(out);
    },
  };
}
