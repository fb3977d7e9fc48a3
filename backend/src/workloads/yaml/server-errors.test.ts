import { KubeApiError } from '@nodeless/cluster-runtime';
import { describe, expect, it } from 'vitest';
import { fieldPathsInWords, readServerError } from './server-errors.ts';

/** A refusal as kube-apiserver v1.36 answered it (bodies copied from the real server). */
const refusal = (code: number, body: object) =>
  new KubeApiError(code, '', 'refused', 'PATCH', '/apis/apps/v1/…', body);

describe('readServerError', () => {
  it('reads 422 causes with their fields', () => {
    const v = readServerError(
      refusal(422, {
        message: 'Deployment.apps "d" is invalid: spec.replicas: Invalid value: -1: …',
        reason: 'Invalid',
        details: {
          causes: [
            {
              reason: 'FieldValueInvalid',
              message: 'Invalid value: -1: must be greater than or equal to 0',
              field: 'spec.replicas',
            },
          ],
        },
      }),
    );
    expect(v).toEqual({
      kind: 'problems',
      problems: [
        {
          field: 'spec.replicas',
          message: 'Invalid value: -1: must be greater than or equal to 0',
        },
      ],
    });
  });

  it("reads server-side apply's unknown fields, one or many", () => {
    const one = readServerError(
      refusal(500, {
        message:
          'failed to create typed patch object (default/d; apps/v1, Kind=Deployment): .spec.foo: field not declared in schema',
      }),
    );
    expect(one).toEqual({
      kind: 'problems',
      problems: [{ field: '.spec.foo', message: 'field not declared in schema' }],
    });
    const many = readServerError(
      refusal(500, {
        message:
          'failed to create typed patch object (default/d; apps/v1, Kind=Deployment): errors:\n  .spec.template.spec.containers[name="c"].imagee: field not declared in schema\n  .spec.foo: field not declared in schema',
      }),
    );
    expect(many?.kind === 'problems' && many.problems.map((p) => p.field)).toEqual([
      '.spec.template.spec.containers[name="c"].imagee',
      '.spec.foo',
    ]);
  });

  it('reads strict decoding errors of create and update', () => {
    const v = readServerError(
      refusal(400, {
        reason: 'BadRequest',
        message:
          'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[0].imagee", unknown field "spec.foo"',
      }),
    );
    expect(v).toEqual({
      kind: 'problems',
      problems: [
        { field: 'spec.template.spec.containers[0].imagee', message: 'unknown field' },
        { field: 'spec.foo', message: 'unknown field' },
      ],
    });
  });

  it('tells an apply conflict (field and manager) from a failed resourceVersion precondition', () => {
    expect(
      readServerError(
        refusal(409, {
          reason: 'Conflict',
          message: 'Apply failed with 1 conflict: conflict with "helm": .spec.replicas',
          details: {
            causes: [
              {
                reason: 'FieldManagerConflict',
                message: 'conflict with "helm"',
                field: '.spec.replicas',
              },
            ],
          },
        }),
      ),
    ).toEqual({ kind: 'conflicts', conflicts: [{ field: '.spec.replicas', manager: 'helm' }] });
    expect(
      readServerError(
        refusal(409, {
          reason: 'Conflict',
          message:
            'Operation cannot be fulfilled on deployments.apps "d": the object has been modified; please apply your changes to the latest version and try again',
        }),
      )?.kind,
    ).toBe('modified');
  });

  it('leaves other errors to the caller', () => {
    expect(readServerError(new Error('ECONNREFUSED'))).toBeUndefined();
  });
});

describe('fieldPathsInWords', () => {
  it('finds the field an admission policy names', () => {
    expect(
      fieldPathsInWords(
        "ValidatingAdmissionPolicy 'nodeless-pods' denied request: spec.template.spec.hostNetwork is not allowed: pods share no host network",
      ),
    ).toEqual(['spec.template.spec.hostNetwork']);
  });
});
