/**
 * The redactor: the last line of defence keeping secrets out of logs, progress events, run
 * journals and error messages. Every layer uses this one: the backend registers every secret it
 * stores or decrypts (and the launch token), the SSH engine the secrets of a run and the k3s join
 * token the moment it is read. {@link Redactor.redact} replaces each registered value wherever it
 * occurs (longest first, so a secret containing another is masked whole); values under
 * secret-looking keys (`password`, `token`, …) are masked structurally too, so a secret is hidden
 * even in input that was rejected before it could be registered. Pure and isomorphic.
 *
 * @see ../../../shared/DESIGN.md §3 — secrets never in logs, argv, or API responses
 * @see https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html#data-to-exclude
 */

/** Placeholder written where a secret was. */
export const MASK = '***';

/** A function that masks known secrets in a text (what engines take as an option). */
export type RedactFn = (text: string) => string;

/** Keys whose values are always masked, whatever they contain. */
const SECRET_KEY = /^(password|passphrase|token|secret|authorization|cookie)$/i;
/** Very short values would mask unrelated text ("a", "1"); they are not registered. */
const MIN_LENGTH = 3;
/** Far deeper than anything logged on purpose; far shallower than the stack. */
const MAX_DEPTH = 32;

export class Redactor {
  readonly #secrets = new Set<string>();
  /** Longest first, so a secret containing another secret is masked whole. */
  #ordered: string[] = [];

  /** A redactor that already knows `secrets` (empty and very short values are skipped). */
  constructor(secrets: Iterable<string | undefined> = []) {
    for (const secret of secrets) this.register(secret);
  }

  /** Registers a secret value; later texts never contain it. */
  register(secret: string | undefined): void {
    if (secret === undefined || secret.length < MIN_LENGTH || this.#secrets.has(secret)) return;
    this.#secrets.add(secret);
    this.#ordered = [...this.#secrets].sort((a, b) => b.length - a.length);
  }

  /** Masks every registered secret inside `text`. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.#ordered) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
    }
    return out;
  }

  /** {@link redact} as a plain function, for APIs that take a {@link RedactFn}. */
  readonly fn: RedactFn = (text) => this.redact(text);

  /**
   * Deep-copies a JSON-like value with secret-keyed values masked and registered secrets removed
   * from every string. Cycles and exotic objects become strings; binary data becomes its size.
   * Nesting deeper than {@link MAX_DEPTH} is dropped: logged values include callers' input, and
   * recursing as deep as a hostile input goes would overflow the stack.
   */
  redactValue(value: unknown, seen = new WeakSet<object>(), depth = 0): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth >= MAX_DEPTH) return '[nested too deep]';
    if (seen.has(value)) return '[circular]';
    seen.add(value);
    if (Array.isArray(value)) return value.map((item) => this.redactValue(item, seen, depth + 1));
    if (value instanceof Error) return this.redact(`${value.name}: ${value.message}`);
    if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] =
        SECRET_KEY.test(key) && item !== undefined && item !== null && item !== ''
          ? MASK
          : this.redactValue(item, seen, depth + 1);
    }
    return out;
  }
}
