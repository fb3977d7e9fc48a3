/** Errors classified into problems a user can act on, table-driven. */
import { KubeApiError } from '@nodeless/cluster-runtime';
import { describe, expect, it } from 'vitest';
import { classifyProblem, MalformedKubeconfigError, PluginMissingError } from './problems.ts';

const sys = (code: string, extra: object = {}) =>
  Object.assign(new Error(`request failed, reason: ${code}`), { code, ...extra });
const api = (code: number, message: string) =>
  new KubeApiError(code, '', `GET /api/v1/pods: ${code}: ${message}`, 'GET', '/api/v1/pods', {
    message,
  });

describe('classifyProblem', () => {
  it.each([
    [
      sys('ECONNREFUSED'),
      'unreachable',
      /no API server answered \(https:\/\/s:6443\): connection refused \(ECONNREFUSED\)/,
    ],
    [sys('ENOTFOUND'), 'unreachable', /host name not found \(ENOTFOUND\)/],
    [{ type: 'request-timeout', message: 'network timeout' }, 'unreachable', /network timeout/],
    [{ name: 'FetchError', cause: sys('ECONNRESET') }, 'unreachable', /ECONNRESET/],
    [
      sys('UNABLE_TO_VERIFY_LEAF_SIGNATURE'),
      'tls',
      /certificate \(https:\/\/s:6443\) is not trusted/,
    ],
    [sys('ERR_TLS_CERT_ALTNAME_INVALID'), 'tls', /not trusted/],
    [sys('DEPTH_ZERO_SELF_SIGNED_CERT'), 'tls', /not trusted/],
    [api(401, 'Unauthorized'), 'unauthorized', /^401: .*Unauthorized/],
    [
      api(403, 'pods is forbidden: User "dev" cannot list resource "pods" in API group ""'),
      'forbidden',
      /^403: pods is forbidden: User "dev" cannot list resource "pods"/,
    ],
    [{ statusCode: 403, message: 'Forbidden' }, 'forbidden', /^403: Forbidden/],
    [
      new PluginMissingError('exec plugin "aws" not found on PATH (/bin)'),
      'plugin-missing',
      /"aws"/,
    ],
    [sys('ENOENT', { syscall: 'spawn aws', path: 'aws' }), 'plugin-missing', /"aws" not found/],
    [
      new MalformedKubeconfigError('the stored kubeconfig cannot be read'),
      'malformed',
      /cannot be read/,
    ],
  ])('%o → %s', (error, code, message) => {
    const problem = classifyProblem(error, 'https://s:6443');
    expect(problem?.code).toBe(code);
    expect(problem?.message).toMatch(message);
    expect(problem?.remedy.length).toBeGreaterThan(10);
  });

  it('names a failing exec plugin with its output', () => {
    expect(
      classifyProblem(new Error('token expired: run aws sso login'), 's', 'aws'),
    ).toMatchObject({
      code: 'plugin-failed',
      message: 'exec plugin "aws" failed: token expired: run aws sso login',
    });
  });

  it.each([
    [api(410, 'Expired')],
    [api(500, 'etcd timeout')],
    [new Error('the watch closed at once')],
  ])('leaves what is not the user to fix unclassified: %o', (error) => {
    expect(classifyProblem(error, 's')).toBeUndefined();
  });
});
