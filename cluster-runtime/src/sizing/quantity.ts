/**
 * Kubernetes resource quantities ("250m", "1.5", "512Mi", "1G", "1e3") to numbers.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
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

const QUANTITY =
  /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

/** Parses a quantity to its value in base units (cores for CPU, bytes for memory). */
export function parseQuantity(text: string | number): number {
  if (typeof text === 'number') return text;
  const m = QUANTITY.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not a Kubernetes quantity (like 250m, 1.5, 512Mi, 2Gi)`);
  const value = Number(m[1]);
  if (m[3] !== undefined) return value * 10 ** Number(m[3]);
  const suffix = m[2] ?? '';
  return value * (BINARY[suffix] ?? DECIMAL[suffix] ?? 1);
}

export const GiB = 2 ** 30;
export const MiB = 2 ** 20;
