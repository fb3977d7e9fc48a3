/**
 * TOML decoding with the errors containerd 2 reports. containerd decodes its config with
 * go-toml v2; the stand-in parses with smol-toml (TOML 1.0, like go-toml v2) and words the
 * failures as containerd would print them:
 *
 * - a table defined twice, or a value re-opened as a table: go-toml's duplicate tracker
 *   answers with a plain error, so containerd prints `failed to unmarshal TOML: toml: table
 *   runc already exists` (or `toml: key x should be a table, not a value`);
 * - a key-value pair that re-defines a key: `toml: key x is already defined` (the
 *   tracker's `checkKeyValue` wording for the key's last part; "expected x to be a table"
 *   is its wording for a dotted key whose earlier part is a value);
 * - any other syntax error is a go-toml DecodeError, which containerd reports as `failed to
 *   unmarshal TOML at row R column C: toml: <reason>`. Row and column are the parser's; the
 *   reason is smol-toml's wording, not go-toml's (the README says so).
 *
 * @see https://github.com/containerd/containerd/blob/main/cmd/containerd/server/config/config.go (loadConfigFile)
 * @see https://github.com/pelletier/go-toml/blob/v2/internal/tracker/seen.go (duplicate messages)
 * @see https://toml.io/en/v1.0.0#table (defining a table more than once is invalid)
 */
import { parse, TomlError } from 'smol-toml';

/** A decoded TOML table. */
export type TomlTable = { [key: string]: TomlValue };
export type TomlValue = string | number | boolean | bigint | Date | object | TomlValue[];

/** Why containerd refused a file, worded as containerd's error. */
export class TomlDecodeError extends Error {
  constructor(
    message: string,
    readonly row?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

export const isTable = (v: unknown): v is TomlTable =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** Splits a TOML key (`a."b.c".'d'`) into its parts. */
export function splitKey(key: string): string[] {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(?:\.|$)/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < key.length && (m = re.exec(key))) {
    parts.push(m[1] !== undefined ? (JSON.parse(`"${m[1]}"`) as string) : (m[2] ?? m[3] ?? ''));
  }
  return parts;
}

function lookup(root: TomlTable, keys: readonly string[]): unknown {
  let cur: unknown = root;
  for (const k of keys) {
    if (Array.isArray(cur)) cur = cur[cur.length - 1];
    if (!isTable(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/**
 * go-toml's wording for a redefinition smol-toml found at `line` (1-based): the expression
 * there and what the document before it had defined under that key.
 */
function redefinition(text: string, line: number): string | undefined {
  const lines = text.split('\n');
  const expr = (lines[line - 1] ?? '').trim();
  let before: TomlTable;
  try {
    before = parse(lines.slice(0, line - 1).join('\n')) as TomlTable;
  } catch {
    return undefined;
  }
  const header = /^\[(?!\[)(.*?)\]\s*(#.*)?$/.exec(expr);
  if (header) {
    const keys = splitKey(header[1] ?? '');
    const last = keys[keys.length - 1] ?? '';
    return isTable(lookup(before, keys))
      ? `toml: table ${last} already exists`
      : `toml: key ${last} should be a table, not a value`;
  }
  const kv = /^((?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_.\s-])+?)\s*=/.exec(expr);
  if (kv) {
    const keys = splitKey(kv[1] ?? '');
    return `toml: key ${keys[keys.length - 1] ?? ''} is already defined`;
  }
  return undefined;
}

/** Parses one config file's text; throws {@link TomlDecodeError} worded as containerd's. */
export function decodeToml(text: string): TomlTable {
  try {
    return parse(text) as TomlTable;
  } catch (e) {
    if (!(e instanceof TomlError)) throw e;
    const reason = e.message.replace(/^Invalid TOML document: /, '').split('\n')[0] ?? '';
    if (/redefine an already defined/.test(reason)) {
      const dup = redefinition(text, e.line);
      if (dup) throw new TomlDecodeError(`failed to unmarshal TOML: ${dup}`);
    }
    throw new TomlDecodeError(
      `failed to unmarshal TOML at row ${e.line} column ${e.column}: toml: ${reason}`,
      e.line,
      e.column,
    );
  }
}
