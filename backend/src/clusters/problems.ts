/**
 * Why a connection cannot serve, from the errors its client and watch caches meet, in words a
 * user can act on: no server answered, the certificate does not match, the credentials are
 * wrong or expired (401), RBAC refused (403: the API server's Status message names the verb and
 * resource, `pods is forbidden: User "dev" cannot list resource "pods" …`), an exec credential
 * plugin is missing or failed, the kubeconfig cannot be read.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/status/
 * @see https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins
 * @see https://nodejs.org/api/errors.html#common-system-errors
 */
import { errorCode, KubeApiError } from '@nodeless/cluster-runtime';
import type { ConnectionProblem } from './contract.ts';

/** System error codes of a server that cannot be reached. */
/** Network errors that mean "no server answered", each in words (the code stays in brackets). */
const UNREACHABLE = new Map([
  ['ECONNREFUSED', 'connection refused'],
  ['ECONNRESET', 'connection reset'],
  ['ETIMEDOUT', 'timed out'],
  ['EHOSTUNREACH', 'host unreachable'],
  ['ENETUNREACH', 'network unreachable'],
  ['ENOTFOUND', 'host name not found'],
  ['EAI_AGAIN', 'host name lookup failed for now'],
  ['EPIPE', 'connection closed'],
  ['ECONNABORTED', 'connection aborted'],
  ['UND_ERR_SOCKET', 'connection closed'],
]);

/** OpenSSL / Node TLS verification failures. */
const TLS =
  /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_|ERR_SSL_|ERR_OSSL_|HOSTNAME_MISMATCH)/;

/** Raised by the connection itself when the exec plugin is not on PATH. */
export class PluginMissingError extends Error {
  override readonly name = 'PluginMissingError';
}

/** Raised by the connection when the stored kubeconfig cannot be read or has no server. */
export class MalformedKubeconfigError extends Error {
  override readonly name = 'MalformedKubeconfigError';
}

interface ErrorFields {
  code?: unknown;
  errno?: unknown;
  type?: unknown;
  syscall?: unknown;
  path?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** The system error code of `error` or of its causes (fetch wraps them). */
function systemCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 4) return undefined;
  const e = error as ErrorFields;
  if (typeof e.code === 'string') return e.code;
  if (typeof e.errno === 'string') return e.errno;
  return systemCode(e.cause, depth + 1);
}

function messageOf(error: unknown): string {
  if (typeof error === 'string') return error;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

/** The Status message of an API error (not the method and path we put in front of it). */
function statusMessage(error: unknown): string {
  if (error instanceof KubeApiError) {
    const body = error.body as { message?: unknown } | undefined;
    if (body && typeof body.message === 'string') return body.message;
  }
  return messageOf(error);
}

/**
 * The problem behind `error`, or undefined for errors that are not the user's to fix (a 410
 * the cache handles, a 5xx the server will get over).
 *
 * @param execCommand the kubeconfig's exec plugin, when it authenticates with one
 */
export function classifyProblem(
  error: unknown,
  server: string | undefined,
  execCommand?: string,
): ConnectionProblem | undefined {
  const where = server ? ` (${server})` : '';
  if (error instanceof PluginMissingError) {
    return {
      code: 'plugin-missing',
      message: error.message,
      remedy: 'Install the plugin, or make sure its directory is on the PATH Nodeless starts with.',
    };
  }
  if (error instanceof MalformedKubeconfigError) {
    return {
      code: 'malformed',
      message: error.message,
      remedy: 'Import the kubeconfig again.',
    };
  }
  const status = errorCode(error);
  if (status === 401) {
    return {
      code: 'unauthorized',
      message: `401: the API server${where} did not accept the credentials: ${statusMessage(error)}`,
      remedy:
        'The credentials are wrong or expired: refresh them (e.g. a new token), or import the kubeconfig again.',
    };
  }
  if (status === 403) {
    return {
      code: 'forbidden',
      message: `403: ${statusMessage(error)}`,
      remedy: 'Ask the cluster administrator for that permission (an RBAC Role or ClusterRole).',
    };
  }
  const code = systemCode(error);
  if (code !== undefined && TLS.test(code)) {
    return {
      code: 'tls',
      message: `the API server's certificate${where} is not trusted: ${messageOf(error)}`,
      remedy:
        "The server's certificate does not match the kubeconfig's certificate authority: import a current kubeconfig.",
    };
  }
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorFields;
  if (code === 'ENOENT' && typeof e.syscall === 'string' && e.syscall.startsWith('spawn')) {
    return {
      code: 'plugin-missing',
      message: `exec plugin "${String(e.path ?? execCommand ?? '')}" not found`,
      remedy: 'Install the plugin, or make sure its directory is on the PATH Nodeless starts with.',
    };
  }
  if (
    (code !== undefined && UNREACHABLE.has(code)) ||
    e.type === 'request-timeout' ||
    (error instanceof Error && error.name === 'AbortError')
  ) {
    return {
      code: 'unreachable',
      message: `no API server answered${where}: ${
        code === undefined ? messageOf(error) : `${UNREACHABLE.get(code) ?? code} (${code})`
      }`,
      remedy: 'Check that the cluster is running and that this computer can reach it.',
    };
  }
  if (execCommand && status === undefined && code === undefined) {
    // client-node rejects with the plugin's stderr when it exits non-zero.
    return {
      code: 'plugin-failed',
      message: `exec plugin "${execCommand}" failed: ${messageOf(error).trim().slice(0, 500)}`,
      remedy: 'Run the plugin in a terminal to see why (often: log in again).',
    };
  }
  return undefined;
}
