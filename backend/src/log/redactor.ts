/**
 * Redactor: the last line of defence keeping secrets out of logs. Every secret value the
 * backend stores or decrypts (and the launch token) is registered here; {@link Redactor.redact}
 * replaces each occurrence with `***`. Values under secret-looking keys (`password`,
 * `passphrase`, `token`, `secret`) are masked structurally too, so a secret is hidden even in
 * an input that was rejected before it could be stored and registered.
 */

/** Keys whose values are always masked, whatever they contain. */
const SECRET_KEY = /^(password|passphrase|token|secret|authorization|cookie)$/i;
export const MASK = '***';
/** Very short values would mask unrelated text ("a", "1"); they cannot be registered. */
const MIN_LENGTH = 3;
/** Far deeper than anything we log on purpose; far shallower than the stack. */
const MAX_DEPTH = 32;

export class Redactor {
  readonly #secrets = new Set<string>();
  /** Longest first, so a secret containing another secret is masked whole. */
  #ordered: string[] = [];

  /** Registers a secret value; later log lines never contain it. */
  register(secret: string): void {
    if (secret.length < MIN_LENGTH || this.#secrets.has(secret)) return;
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

  /**
   * Deep-copies a JSON-like value with secret-keyed values masked and registered secrets
   * removed from every string. Cycles and exotic objects become strings. Nesting deeper than
   * {@link MAX_DEPTH} is dropped: logged values include callers' input, and recursing as deep
   * as a hostile input goes would overflow the stack.
   */
  redactValue(value: unknown, seen = new WeakSet<object>(), depth = 0): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth >= MAX_DEPTH) return '[nested too deep]';
    if (seen.has(value)) return '[circular]';
    seen.add(value);
    if (Array.isArray(value)) return value.map((item) => this.redactValue(item, seen, depth + 1));
    if (value instanceof Error) return this.redact(`${value.name}: ${value.message}`);
    if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
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
