/**
 * Kubernetes resource quantities (`250m`, `1.5`, `2Gi`, `500M`, `1e3`) as INTEGERS: millicores
 * for CPU, bytes for memory. Never floats: the text is scanned exactly as apimachinery's
 * `resource.ParseQuantity` scans it (same grammar, same quirks: `1.` and `.5` are numbers, `1.G`
 * is accepted, whitespace is not), the value is kept exact (BigInt), and converted the way
 * `Quantity.Value()` / `MilliValue()` do: rounded up, away from zero, to the integer unit.
 *
 * One deliberate difference: apimachinery lets a value beyond int64 wrap or saturate; JavaScript
 * counts integers exactly only up to 2^53 − 1 (8 PiB in bytes), so a larger result is refused
 * with a {@link QuantityError} instead of being silently wrong.
 *
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/api/resource/quantity.go
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/api/resource/suffix.go
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */

/** What was wrong with a quantity's text. */
export type QuantityProblem = 'format' | 'suffix' | 'range';

/** apimachinery's error texts, so a message reads the same as the API server's. */
const DETAIL: Record<QuantityProblem, string> = {
  format:
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  suffix: "unable to parse quantity's suffix",
  range: 'the value is too large to count exactly (more than 2^53 − 1 in its integer unit)',
};

/** A quantity that does not parse; the message names the text. */
export class QuantityError extends Error {
  constructor(
    readonly text: string,
    readonly problem: QuantityProblem,
  ) {
    super(`"${text}" is not a valid Kubernetes quantity: ${DETAIL[problem]}`);
    this.name = 'QuantityError';
  }
}

/** Binary SI suffixes: powers of two. */
const BINARY_SI: Readonly<Record<string, number>> = {
  Ki: 10,
  Mi: 20,
  Gi: 30,
  Ti: 40,
  Pi: 50,
  Ei: 60,
};
/** Decimal SI suffixes: powers of ten (`''` = no suffix). */
const DECIMAL_SI: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

/** The exact value: `(negative ? −1 : 1) × digits × 10^exp10 × 2^exp2`. */
interface Exact {
  readonly negative: boolean;
  readonly digits: bigint;
  readonly exp10: number;
  readonly exp2: number;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const SUFFIX_CHARS = 'eEinumkKMGTP';
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** `parseQuantityString`, step by step: sign, leading zeros, numerator, `.`, denominator, suffix. */
function scan(text: string): { negative: boolean; num: string; denom: string; suffix: string } {
  let pos = 0;
  let negative = false;
  if (text[0] === '-' || text[0] === '+') {
    negative = text[0] === '-';
    pos = 1;
  }
  while (text[pos] === '0') pos++;
  const numStart = pos;
  while (isDigit(text[pos])) pos++;
  const num = text.slice(numStart, pos) || '0';
  let denom = '';
  if (text[pos] === '.') {
    const denomStart = ++pos;
    while (isDigit(text[pos])) pos++;
    denom = text.slice(denomStart, pos);
  }
  const suffixStart = pos;
  while (pos < text.length && SUFFIX_CHARS.includes(text[pos] as string)) pos++;
  if (text[pos] === '-' || text[pos] === '+') pos++;
  while (isDigit(text[pos])) pos++;
  if (pos < text.length) throw new QuantityError(text, 'format');
  return { negative, num, denom, suffix: text.slice(suffixStart) };
}

/** `suffixHandler.interpret`: base-10 exponent or base-2 exponent of a suffix. */
function interpret(text: string, suffix: string): { exp10: number; exp2: number } {
  const decimal = DECIMAL_SI[suffix];
  if (decimal !== undefined) return { exp10: decimal, exp2: 0 };
  const binary = BINARY_SI[suffix];
  if (binary !== undefined) return { exp10: 0, exp2: binary };
  const exponent = suffix.slice(1);
  if ((suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?\d+$/.test(exponent)) {
    const parsed = BigInt(exponent);
    // strconv.ParseInt(…, 10, 64) refuses what int64 cannot hold; the result is then int32(…).
    if (parsed >= INT64_MIN && parsed <= INT64_MAX) {
      return { exp10: Number(BigInt.asIntN(32, parsed)), exp2: 0 };
    }
  }
  throw new QuantityError(text, 'suffix');
}

function exact(quantity: string | number): Exact {
  const text = typeof quantity === 'number' ? String(quantity) : quantity;
  if (text === '' || (typeof quantity === 'number' && !Number.isFinite(quantity))) {
    throw new QuantityError(text, 'format');
  }
  const { negative, num, denom, suffix } = scan(text);
  const { exp10, exp2 } = interpret(text, suffix);
  return { negative, digits: BigInt(num + denom), exp10: exp10 - denom.length, exp2 };
}

/** Beyond any int64 at any scale we use: saves building 10^(2^31) for `1e2147483647`. */
const HUGE_EXPONENT = 64;

/** ⌈|value| × 10^scale⌉ with the value's sign (rounded away from zero), exactly. */
function scaled(value: Exact, scale: number): bigint {
  const mantissa = value.digits << BigInt(value.exp2);
  if (mantissa === 0n) return 0n;
  const e = value.exp10 + scale;
  let magnitude: bigint;
  if (e >= 0) {
    magnitude = mantissa * 10n ** BigInt(Math.min(e, HUGE_EXPONENT));
  } else if (-e > mantissa.toString().length) {
    magnitude = 1n; // 0 < |value| < 1 unit: "if you want some resources, you get some"
  } else {
    const divisor = 10n ** BigInt(-e);
    magnitude = mantissa / divisor + (mantissa % divisor === 0n ? 0n : 1n);
  }
  return value.negative ? -magnitude : magnitude;
}

function toSafeInteger(text: string | number, value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new QuantityError(String(text), 'range');
  }
  return Number(value);
}

/**
 * `Quantity.Value()`: the quantity in its base unit (bytes for memory, cores for CPU), rounded up
 * away from zero to an integer. `2Gi` → 2147483648, `500M` → 500000000, `1.5` → 2, `1e3` → 1000.
 * A number is read as its JSON text (`0.5` → `"0.5"`), as the API server does for unquoted values.
 *
 * @throws QuantityError naming the text when it is not a quantity or is too large.
 */
export function quantityValue(quantity: string | number): number {
  return toSafeInteger(quantity, scaled(exact(quantity), 0));
}

/**
 * `Quantity.MilliValue()`: ⌈quantity × 1000⌉, e.g. CPU in millicores. `250m` → 250, `1.5` → 1500,
 * `2` → 2000, `0.1m` → 1 (rounded up: a non-zero request never becomes 0).
 *
 * @throws QuantityError naming the text when it is not a quantity or is too large.
 */
export function quantityMilliValue(quantity: string | number): number {
  return toSafeInteger(quantity, scaled(exact(quantity), 3));
}

/**
 * Whether two quantities are the same amount (`0.25` and `250m`; `1Gi` and `1024Mi`), compared
 * at nano precision as apimachinery stores them. False when either is not a quantity.
 */
export function quantityEquals(a: string | number, b: string | number): boolean {
  try {
    return scaled(exact(a), 9) === scaled(exact(b), 9);
  } catch {
    return false;
  }
}

/** Byte multiples, as integers. */
export const KIB = 2 ** 10;
export const MIB = 2 ** 20;
export const GIB = 2 ** 30;
