/**
 * k3s join tokens: the full format `K10<sha256 of the cluster CA bundle>::<user>:<password>`
 * or a bare password. Agents verify the CA hash before trusting the server.
 *
 * @see https://docs.k3s.io/cli/token#token-format
 */
import { createHash, randomBytes } from 'node:crypto';

export interface ParsedToken {
  readonly caHash?: string;
  readonly user?: string;
  readonly password: string;
}

/** sha256 (hex) of the CA bundle exactly as served at `/cacerts`. */
export function caHash(caPem: string): string {
  return createHash('sha256').update(caPem).digest('hex');
}

export function formatToken(caPem: string, password: string, user = 'server'): string {
  return `K10${caHash(caPem)}::${user}:${password}`;
}

/** Parses either format; throws with k3s's message on a malformed full token. */
export function parseToken(token: string): ParsedToken {
  if (!token.startsWith('K10')) return { password: token };
  const m = /^K10([0-9a-f]{64})::([^:]+):(.+)$/.exec(token);
  if (!m?.[1] || !m[2] || !m[3]) {
    throw new Error(
      'failed to normalize server token; must be in format K10<CA-HASH>::<USERNAME>:<PASSWORD> or <PASSWORD>',
    );
  }
  return { caHash: m[1], user: m[2], password: m[3] };
}

export function randomPassword(): string {
  return randomBytes(16).toString('hex');
}
