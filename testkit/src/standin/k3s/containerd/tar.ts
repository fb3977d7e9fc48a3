/**
 * A small reader of tar archives held in memory: the entries of an image archive as
 * containerd's importer sees them (Go's archive/tar): ustar headers, PAX extended headers
 * (`path`, `size`), GNU long names, regular files, directories and symlinks. The stand-in
 * needs no more; anything it cannot read is an error, as it would be for containerd.
 *
 * @see https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html#tag_20_92_13_06
 * @see https://www.gnu.org/software/tar/manual/html_node/Standard.html
 * @see https://pkg.go.dev/archive/tar
 */

export interface TarEntry {
  readonly name: string;
  /** `0` regular, `5` directory, `2` symlink, … (NUL normalised to `0`). */
  readonly type: string;
  readonly data: Buffer;
  readonly linkname: string;
}

const BLOCK = 512;

function text(b: Buffer, start: number, len: number): string {
  const s = b.subarray(start, start + len);
  const end = s.indexOf(0);
  return s.subarray(0, end === -1 ? s.length : end).toString('utf8');
}

function octal(b: Buffer, start: number, len: number): number {
  const s = text(b, start, len).trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new Error('archive/tar: invalid tar header');
  return parseInt(s, 8);
}

/** PAX records: `<len> <key>=<value>\n`. */
function paxRecords(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    const len = Number(data.subarray(at, space).toString('ascii'));
    if (space < 0 || !Number.isInteger(len) || len <= 0)
      throw new Error('archive/tar: invalid PAX record');
    const record = data.subarray(space + 1, at + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    out.set(record.slice(0, eq), record.slice(eq + 1));
    at += len;
  }
  return out;
}

function checksumOk(h: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (h[i] ?? 0);
  const stored = text(h, 148, 8).trim();
  return /^[0-7]+$/.test(stored) && sum === parseInt(stored, 8);
}

/** The entries of `archive`; throws on a truncated or corrupt archive. */
export function readTar(archive: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  let at = 0;
  let pax = new Map<string, string>();
  let longName: string | undefined;
  while (at + BLOCK <= archive.length) {
    const h = archive.subarray(at, at + BLOCK);
    if (h.every((byte) => byte === 0)) return entries;
    if (!checksumOk(h)) throw new Error('archive/tar: invalid tar header');
    const type = text(h, 156, 1) || '0';
    const paxSize = pax.get('size');
    const size = paxSize !== undefined ? Number(paxSize) : octal(h, 124, 12);
    const start = at + BLOCK;
    if (start + size > archive.length) throw new Error('unexpected EOF');
    const data = archive.subarray(start, start + size);
    at = start + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      pax = paxRecords(data);
      continue;
    }
    if (type === 'g') continue;
    if (type === 'L') {
      longName = text(data, 0, data.length);
      continue;
    }
    const prefix = text(h, 345, 155);
    const base = text(h, 0, 100);
    const name = pax.get('path') ?? longName ?? (prefix ? `${prefix}/${base}` : base);
    entries.push({ name, type, data, linkname: pax.get('linkpath') ?? text(h, 157, 100) });
    pax = new Map();
    longName = undefined;
  }
  // Go's reader accepts an archive without its two zero blocks, not a cut header.
  if (at < archive.length) throw new Error('unexpected EOF');
  return entries;
}
