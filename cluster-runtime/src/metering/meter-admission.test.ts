/** The sandbox-start policy's shape; its behaviour is test/sandbox-start.int.test.ts. */
import { describe, expect, it } from 'vitest';
import { TENANT_REQUEST } from '../policies/manifest.ts';
import {
  METER_POLICY_NAME,
  meteringPolicy,
  SANDBOX_START_POLICY_NAME,
  SANDBOX_STARTED_EXPRESSION,
  SANDBOX_UNMARKED_EXPRESSION,
  SANDBOX_UP_EXPRESSION,
  sandboxStartPolicy,
} from './meter-admission.ts';
import { METER_PARAM_NAME, SANDBOX_STARTED_CONDITION } from './meter-names.ts';

type Spec = Record<string, unknown>;
const spec = (o: object) => (o as { spec?: Spec }).spec ?? {};

describe('sandbox-start policy', () => {
  const [policy, binding] = sandboxStartPolicy();

  it('is part of the metering policies, each policy before its binding', () => {
    expect(meteringPolicy().map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual([
      `MutatingAdmissionPolicy/${METER_POLICY_NAME}`,
      `MutatingAdmissionPolicyBinding/${METER_POLICY_NAME}`,
      `MutatingAdmissionPolicy/${SANDBOX_START_POLICY_NAME}`,
      `MutatingAdmissionPolicyBinding/${SANDBOX_START_POLICY_NAME}`,
    ]);
  });

  it('matches status writes of tenant pods whose sandbox is up and that are not yet marked', () => {
    expect(policy?.apiVersion).toBe('admissionregistration.k8s.io/v1');
    expect(spec(policy ?? {})['matchConstraints']).toEqual({
      resourceRules: [
        {
          apiGroups: [''],
          apiVersions: ['v1'],
          operations: ['UPDATE'],
          resources: ['pods/status'],
        },
      ],
    });
    expect(spec(policy ?? {})['matchConditions']).toEqual([
      { name: 'tenant-namespace', expression: TENANT_REQUEST },
      { name: 'sandbox-up', expression: SANDBOX_UP_EXPRESSION },
      { name: 'not-marked', expression: SANDBOX_UNMARKED_EXPRESSION },
    ]);
    // A policy error must not refuse the kubelet's status writes.
    expect(spec(policy ?? {})['failurePolicy']).toBe('Ignore');
  });

  it('is switched by the meter param, like the finalizer', () => {
    expect(spec(binding ?? {})).toEqual({
      policyName: SANDBOX_START_POLICY_NAME,
      paramRef: {
        name: METER_PARAM_NAME,
        namespace: 'nodeless-system',
        parameterNotFoundAction: 'Allow',
      },
    });
  });

  it('merges one condition whose time is the sandbox condition’s', () => {
    expect(spec(policy ?? {})['mutations']).toEqual([
      {
        patchType: 'ApplyConfiguration',
        applyConfiguration: { expression: SANDBOX_STARTED_EXPRESSION },
      },
    ]);
    expect(SANDBOX_STARTED_EXPRESSION).toContain(`type: '${SANDBOX_STARTED_CONDITION}'`);
    expect(SANDBOX_STARTED_EXPRESSION).toContain(
      "c.type == 'PodReadyToStartContainers' && c.status == 'True'",
    );
    expect(SANDBOX_STARTED_EXPRESSION).toContain('[0].lastTransitionTime');
  });
});
