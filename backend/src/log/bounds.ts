/**
 * Bounds what one log line may carry. API inputs are logged, and an input is whatever a caller
 * sent: a 1 MB string, a 5,000-level nested array. Logged whole, such a line is huge, and
 * walking it recursively overflowed the stack — after the mutation had committed, so the
 * caller got a 500 for a write that happened. Every logged value passes through here (after
 * redaction, so a cut never splits a secret that would then no longer match): strings are cut,
 * long lists and objects are shortened, deep nesting is summarised, and the whole line has a
 * node budget. Recursion is bounded by `maxDepth`, never by the input.
 */

export interface LogBounds {
  /** Containers deeper than this are summarised as `[object]` / `[array of N]`. */
  maxDepth: number;
  /** Characters kept of a string (then `…[+N chars]`); keys are cut to 64. */
  maxString: number;
  /** Items kept of an array, entries of an object. */
  maxItems: number;
  /** Values kept in the whole line; later ones become `[…]`. */
  maxNodes: number;
}

export const LOG_BOUNDS: LogBounds = {
  maxDepth: 8,
  maxString: 2000,
  maxItems: 50,
  maxNodes: 1000,
};

const MAX_KEY = 64;

/** A copy of `value` within `bounds`, JSON-serialisable (bigints and symbols become text). */
export function boundForLog(value: unknown, bounds: LogBounds = LOG_BOUNDS): unknown {
  let nodes = 0;
  const visit = (item: unknown, depth: number): unknown => {
    nodes += 1;
    if (nodes > bounds.maxNodes) return '[…]';
    if (typeof item === 'string') return cut(item, bounds.maxString);
    if (typeof item === 'bigint' || typeof item === 'symbol') return String(item);
    if (typeof item === 'function') return '[function]';
    if (item === null || typeof item !== 'object') return item;
    if (Array.isArray(item)) {
      if (depth >= bounds.maxDepth) return `[array of ${item.length}]`;
      const kept = item.slice(0, bounds.maxItems).map((x) => visit(x, depth + 1));
      if (item.length > bounds.maxItems) kept.push(`[+${item.length - bounds.maxItems} more]`);
      return kept;
    }
    if (depth >= bounds.maxDepth) return '[object]';
    const entries = Object.entries(item);
    const out: Record<string, unknown> = {};
    for (const [key, child] of entries.slice(0, bounds.maxItems)) {
      out[cut(key, MAX_KEY)] = visit(child, depth + 1);
    }
    if (entries.length > bounds.maxItems) {
      out['…'] = `[+${entries.length - bounds.maxItems} more keys]`;
    }
    return out;
  };
  return visit(value, 0);
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…[+${text.length - max} chars]`;
}
