/**
 * Download of what the viewer keeps: at most the buffer's bound of lines (the UI says the
 * bound), as a `.log` file, in the lines' order, with the timestamp and, in workload mode, the
 * pod as `kubectl logs --timestamps --prefix` would write them.
 *
 * @see https://developer.mozilla.org/en-US/docs/Web/API/URL/createObjectURL_static
 */
import type { LogBuffer } from './log-buffer.ts';

export interface DownloadShape {
  timestamps: boolean;
  /** Prefix each line with `[pod/<pod>/<container>]` (workload mode). */
  prefix: boolean;
}

/** The file's text (every kept line, each ending in a newline). */
export function logText(buffer: LogBuffer, shape: DownloadShape): string {
  const parts: string[] = [];
  buffer.forEachFrom(buffer.start, (l) => {
    let s = '';
    if (shape.prefix) s += `[pod/${l.pod}/${l.container}] `;
    if (shape.timestamps && l.time) s += `${l.time} `;
    parts.push(`${s}${l.text}\n`);
  });
  return parts.join('');
}

/** A file name from the target's name: safe characters only, `.log` at the end. */
export function logFileName(
  name: string,
  container: string | undefined,
  previous: boolean,
): string {
  const base = [name, container, previous ? 'previous' : undefined].filter(Boolean).join('-');
  return `${base.replace(/[^A-Za-z0-9._-]+/g, '_') || 'logs'}.log`;
}

/** Saves `text` as `fileName` through a temporary object URL (no server round trip). */
export function saveText(text: string, fileName: string, doc: Document = document): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  try {
    const a = doc.createElement('a');
    a.href = url;
    a.download = fileName;
    a.rel = 'noopener';
    doc.body.append(a);
    a.click();
    a.remove();
  } finally {
    // The click starts the download synchronously; revoke on the next tick to be safe.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
