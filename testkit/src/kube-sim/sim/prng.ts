/**
 * Seeded randomness, so a simulation is reproducible given its seed.
 *
 * mulberry32 is tiny and good enough for simulation (not for cryptography).
 * @see https://gist.github.com/tommyettinger/46a874533244883189143505d203312c
 */

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
}

export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    normal() {
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
  };
}

/** FNV-1a 32-bit hash of a string; also used to derive per-object seeds. */
export function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** z-score of the 99th percentile of the standard normal. */
const Z99 = 2.3263478740408408;

/**
 * A log-normal sampler fitted to a median and a 99th percentile: μ = ln p50, σ = ln(p99/p50)/z₀.₉₉.
 * @see https://en.wikipedia.org/wiki/Log-normal_distribution
 */
export function logNormal(p50: number, p99: number, random: Random): () => number {
  if (!(p50 > 0) || !(p99 >= p50)) throw new Error(`need 0 < p50 <= p99, got ${p50}, ${p99}`);
  const mu = Math.log(p50);
  const sigma = Math.log(p99 / p50) / Z99;
  return () => Math.exp(mu + sigma * random.normal());
}

/**
 * Kubernetes' SafeEncodeString alphabet (no vowels, no look-alikes), for pod-template-hash style names.
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/util/rand/rand.go
 */
export function safeEncode(n: number): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  let v = n >>> 0;
  do {
    out += alphabet[v % alphabet.length];
    v = Math.floor(v / alphabet.length);
  } while (v > 0);
  return out;
}

/** JSON with sorted keys: a stable basis for template hashes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
