import { describe, expect, it } from 'vitest';
import { fieldErrorsFromIssues } from '../api/field-errors.ts';
import { exportKubeconfigInput } from './schema.ts';

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
