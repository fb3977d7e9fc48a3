/**
 * Retry with exponential backoff and full jitter, for transient network failures only.
 * Authentication failures and host-key problems are never retried: repeating them cannot
 * succeed and, for auth, may lock the account (fail2ban, `MaxAuthTries`).
 *
 * @see https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 * @see https://github.com/k0sproject/k0sctl/blob/main/phase/connect.go — retries connect only
 */
import { isSshError } from '../errors/ssh-error.ts';

/** Retry policy for connecting. */
export interface RetryPolicy {
  /** Total attempts including the first (1 = no retry). */
  readonly attempts: number;
  /** Base delay in ms; attempt n waits up to `base * 2^(n-1)`, capped by `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** Defaults: 4 attempts, 0.5 s → 4 s. */
export const defaultRetryPolicy: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 4_000 };

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
]);

/**
 * Whether an error is worth retrying. `SshError`s carry their own verdict (`transient`); raw
 * Node/ssh2 errors are judged by `code` and ssh2's `level` (`client-timeout`, `client-socket`).
 */
export function isTransientError(err: unknown): boolean {
  if (isSshError(err)) return err.transient;
  if (!(err instanceof Error)) return false;
  const { code, level } = err as Error & { code?: unknown; level?: unknown };
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
  if (level === 'client-timeout') return true;
  return false;
}

/** Delay before retry number `retry` (1-based), with full jitter from `random()` ∈ [0,1). */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling * random());
}

/** Injected effects for {@link withRetry}. */
export interface RetryDeps {
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  /** Called before each retry, e.g. to log "retrying in 1.2 s". */
  readonly onRetry?: (err: unknown, retry: number, delayMs: number) => void;
}

/** Runs `op` and retries it while it fails transiently, up to `policy.attempts` in total. */
export async function withRetry<T>(
  op: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  deps: RetryDeps,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await op(attempt);
    } catch (err) {
      if (attempt >= policy.attempts || !isTransientError(err)) throw err;
      const delay = backoffDelay(policy, attempt, deps.random);
      deps.onRetry?.(err, attempt, delay);
      await deps.sleep(delay);
    }
  }
}
