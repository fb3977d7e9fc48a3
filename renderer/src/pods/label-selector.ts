/**
 * Label selectors as kubectl takes them (`-l`): `app=web,tier!=db,env in (a,b),!canary,team`.
 * Parsed once per edit into requirements and matched against a row's labels, so filtering
 * 100,000 pods is a loop over plain comparisons. Bad syntax gets a sentence that names what
 * was expected and where.
 *
 * Semantics follow apimachinery: `!=` and `notin` also match pods without the key; `in`,
 * `=`, `>` and `<` need it; `>`/`<` compare integers.
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/labels/selector.go (Parse)
 */

export type Operator = 'exists' | '!' | '=' | '!=' | 'in' | 'notin' | '>' | '<';

export interface Requirement {
  key: string;
  op: Operator;
  values: readonly string[];
}

export type SelectorResult =
  { ok: true; requirements: readonly Requirement[] } | { ok: false; error: string };

type Token =
  | { kind: 'id'; text: string; at: number }
  | { kind: '!' | '=' | '==' | '!=' | '(' | ')' | ',' | '>' | '<' | 'end'; at: number };

const SPECIAL = new Set(['!', '=', '(', ')', ',', '>', '<']);
const SPACE = /\s/;

function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input.charAt(i);
    if (SPACE.test(c)) {
      i += 1;
    } else if (c === '!' && input.charAt(i + 1) === '=') {
      out.push({ kind: '!=', at: i });
      i += 2;
    } else if (c === '=' && input.charAt(i + 1) === '=') {
      out.push({ kind: '==', at: i });
      i += 2;
    } else if (c === '!' || c === '=' || c === '(' || c === ')' || c === ',') {
      out.push({ kind: c, at: i });
      i += 1;
    } else if (c === '>' || c === '<') {
      out.push({ kind: c, at: i });
      i += 1;
    } else {
      const start = i;
      while (i < input.length && !SPACE.test(input.charAt(i)) && !SPECIAL.has(input.charAt(i)))
        i += 1;
      out.push({ kind: 'id', text: input.slice(start, i), at: start });
    }
  }
  out.push({ kind: 'end', at: input.length });
  return out;
}

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `key` is not a label key, or undefined when it is one. */
export function keyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)))
    return `"${key}" has an invalid prefix: it must be a DNS subdomain such as example.com`;
  if (name.length === 0 || name.length > 63 || !NAME.test(name))
    return `"${key}" is not a valid label key: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`;
  return undefined;
}

function valueProblem(value: string): string | undefined {
  if (value === '' || (value.length <= 63 && NAME.test(value))) return undefined;
  return `"${value}" is not a valid label value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`;
}

class SelectorSyntaxError extends Error {}

function describe(t: Token): string {
  if (t.kind === 'end') return 'the end';
  if (t.kind === 'id') return `"${t.text}"`;
  return `"${t.kind}"`;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i] as Token;
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.i += 1;
    return t;
  }
  private fail(expected: string, t: Token): never {
    throw new SelectorSyntaxError(
      `expected ${expected} at position ${t.at + 1}, found ${describe(t)}`,
    );
  }

  parse(): Requirement[] {
    const out: Requirement[] = [];
    if (this.peek().kind === 'end') return out;
    for (;;) {
      out.push(this.requirement());
      const t = this.next();
      if (t.kind === 'end') return out;
      if (t.kind !== ',') this.fail('"," between requirements', t);
    }
  }

  private key(): string {
    const t = this.next();
    if (t.kind !== 'id') this.fail('a label key', t);
    const problem = keyProblem(t.text);
    if (problem) throw new SelectorSyntaxError(problem);
    return t.text;
  }

  private value(): string {
    const t = this.peek();
    // `app=` selects an empty value; anything but an identifier here means "empty".
    if (t.kind !== 'id') return '';
    this.next();
    const problem = valueProblem(t.text);
    if (problem) throw new SelectorSyntaxError(problem);
    return t.text;
  }

  private requirement(): Requirement {
    if (this.peek().kind === '!') {
      this.next();
      return { key: this.key(), op: '!', values: [] };
    }
    const key = this.key();
    const t = this.peek();
    switch (t.kind) {
      case ',':
      case 'end':
        return { key, op: 'exists', values: [] };
      case '=':
      case '==':
        this.next();
        return { key, op: '=', values: [this.value()] };
      case '!=':
        this.next();
        return { key, op: '!=', values: [this.value()] };
      case '>':
      case '<': {
        this.next();
        const v = this.next();
        if (v.kind !== 'id' || !/^-?\d+$/.test(v.text)) this.fail('an integer', v);
        return { key, op: t.kind, values: [v.text] };
      }
      case 'id':
        if (t.text === 'in' || t.text === 'notin') {
          this.next();
          return { key, op: t.text, values: this.set() };
        }
        return this.fail('an operator (=, !=, in, notin) or ","', t);
      default:
        return this.fail('an operator (=, !=, in, notin) or ","', t);
    }
  }

  private set(): string[] {
    const open = this.next();
    if (open.kind !== '(') this.fail('"("', open);
    const values: string[] = [];
    for (;;) {
      values.push(this.value());
      const t = this.next();
      if (t.kind === ')') return values;
      if (t.kind !== ',') this.fail('"," or ")"', t);
    }
  }
}

/** Parses a selector; the empty selector (blank input) matches everything. */
export function parseSelector(input: string): SelectorResult {
  try {
    return { ok: true, requirements: new Parser(tokenize(input)).parse() };
  } catch (err) {
    if (err instanceof SelectorSyntaxError) return { ok: false, error: err.message };
    throw err;
  }
}

function matchesOne(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.op) {
    case 'exists':
      return has;
    case '!':
      return !has;
    case '=':
    case 'in':
      return value !== undefined && r.values.includes(value);
    case '!=':
    case 'notin':
      return value === undefined || !r.values.includes(value);
    case '>':
    case '<': {
      if (value === undefined || !/^-?\d+$/.test(value)) return false;
      const a = Number(value);
      const b = Number(r.values[0]);
      return r.op === '>' ? a > b : a < b;
    }
  }
}

/** True when the labels satisfy every requirement. */
export function matchesSelector(
  requirements: readonly Requirement[],
  labels: Readonly<Record<string, string>>,
): boolean {
  for (const r of requirements) if (!matchesOne(r, labels)) return false;
  return true;
}
