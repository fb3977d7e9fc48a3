/**
 * Kubernetes resource quantities (`250m`, `1.5`, `128Mi`, `1e3`, `2G`) to plain numbers, and back
 * in the forms metrics-server writes.
 *
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/api/resource/quantity.go
 */

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** Parses a quantity to its value in base units (cores, bytes, count). Throws on malformed input. */
export function parseQuantity(q: string | number | undefined): number {
  if (q === undefined) return 0;
  if (typeof q === 'number') return q;
  const m =
    /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/.exec(
      q.trim(),
    );
  if (!m) throw new Error(`invalid quantity ${JSON.stringify(q)}`);
  const base = Number(m[1]);
  if (m[2] !== undefined) return base * 10 ** Number(m[2].slice(1));
  const suffix = m[3] ?? '';
  return base * (BINARY[suffix] ?? DECIMAL[suffix] ?? 1);
}

/** CPU quantity in millicores (rounded up, as the scheduler counts). */
export function milliCpu(q: string | number | undefined): number {
  return Math.ceil(parseQuantity(q) * 1000 - 1e-9);
}

/** Memory quantity in bytes. */
export function bytes(q: string | number | undefined): number {
  return Math.ceil(parseQuantity(q) - 1e-9);
}

/** `250m` style CPU. */
export function formatMilliCpu(m: number): string {
  return m % 1000 === 0 ? String(m / 1000) : `${Math.round(m)}m`;
}

/** Nanocores, the unit metrics-server reports CPU usage in (`12345678n`). */
export function formatNanoCpu(milli: number): string {
  return `${Math.max(0, Math.round(milli * 1e6))}n`;
}

/** Kibibytes, the unit metrics-server reports memory usage in (`20480Ki`). */
export function formatKi(b: number): string {
  return `${Math.max(0, Math.round(b / 1024))}Ki`;
}
