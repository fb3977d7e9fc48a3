import { describe, expect, it } from 'vitest';
import { fieldErrorsFromIssues } from '../api/field-errors.ts';
import { exportKubeconfigInput, installOptionsInput } from './schema.ts';

const errorsOf = (input: unknown) => {
  const result = exportKubeconfigInput.safeParse(input);
  return result.success ? {} : fieldErrorsFromIssues(result.error.issues);
};

describe('kubeconfig export input', () => {
  it.each(['kube-system', 'kube-public', 'nodeless-system'])(
    'refuses the reserved namespace %s, naming scope.namespace',
    (namespace) => {
      expect(errorsOf({ clusterId: 'c1', path: '/k', scope: { namespace } })).toEqual({
        'scope.namespace': `"${namespace}" is reserved for the system (kube-* and nodeless-system); choose a tenant namespace`,
      });
    },
  );

  it('accepts a tenant namespace and the plain-file confirmation', () => {
    expect(
      errorsOf({
        clusterId: 'c1',
        path: '/k',
        scope: { namespace: 'team-a' },
        confirmPlainFile: true,
      }),
    ).toEqual({});
    expect(errorsOf({ clusterId: 'c1', path: '/k', confirmPlainFile: 'yes' })).toHaveProperty(
      'confirmPlainFile',
    );
  });
});

describe('install options input', () => {
  const base = {
    servers: ['h1'],
    sandbox: 'kata-clh',
    k3sVersion: 'v1.36.3+k3s1',
    artifacts: { kind: 'online' },
  };
  const optionErrors = (patch: Record<string, unknown>) => {
    const result = installOptionsInput.safeParse({ ...base, ...patch });
    return result.success ? {} : fieldErrorsFromIssues(result.error.issues);
  };

  it('refuses a k3s older than v1.36, naming k3sVersion and why', () => {
    const errors = optionErrors({ k3sVersion: 'v1.33.4+k3s1' });
    expect(Object.keys(errors)).toEqual(['k3sVersion']);
    expect(errors.k3sVersion).toMatch(/older than v1\.36.*MutatingAdmissionPolicy/);
  });

  it('carries the Kata release and its sha256 for an online install', () => {
    const sha = 'a'.repeat(64);
    const parsed = installOptionsInput.parse({
      ...base,
      artifacts: { kind: 'online', kataVersion: '3.20.0', kataSha256: sha },
    });
    expect(parsed.artifacts).toEqual({ kind: 'online', kataVersion: '3.20.0', kataSha256: sha });
  });

  it('names artifacts.kataSha256 when it is not a sha256', () => {
    expect(optionErrors({ artifacts: { kind: 'online', kataSha256: 'ABC' } })).toEqual({
      'artifacts.kataSha256': 'must be a sha256: 64 lowercase hex digits',
    });
  });
});
