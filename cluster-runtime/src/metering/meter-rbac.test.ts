import type { V1PolicyRule } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { LEDGER_LABEL } from './ledger-configmap.ts';
import { METER_FENCE_EXPRESSION, METER_FENCE_NAME, meterFencePolicy } from './meter-admission.ts';
import { METER_NAME, METER_PARAM_NAME, meterUserName } from './meter-names.ts';
import { meterRbacList, meterRbacObjects } from './meter-rbac.ts';

type Spec = Record<string, unknown>;
const spec = (o: object) => (o as { spec?: Spec }).spec ?? {};
const verbsOf = (rules: V1PolicyRule[] | undefined, group: string, resource: string) =>
  rules?.find((r) => r.apiGroups?.includes(group) && r.resources?.includes(resource))?.verbs;

describe("the meter's RBAC", () => {
  const o = meterRbacObjects();

  it('grants only the verbs meter/src calls', () => {
    const cluster = o.clusterRole.rules;
    // The pod watch lists and watches; the recorder patches (finalizer); no single get.
    expect(verbsOf(cluster, '', 'pods')).toEqual(['list', 'watch', 'patch']);
    // The sampler lists PodMetrics each interval.
    expect(verbsOf(cluster, 'metrics.k8s.io', 'pods')).toEqual(['list']);
    // The capacity sampler lists nodes while leading; nothing else on nodes.
    expect(verbsOf(cluster, '', 'nodes')).toEqual(['list']);
    expect(cluster?.map((r) => r.resources?.join())).toEqual(['pods', 'pods', 'jobs', 'nodes']);
    const ns = o.role.rules;
    expect(ns).toHaveLength(3);
    // No watch: the ledger is read when the meter leads.
    expect(verbsOf(ns, '', 'configmaps')).toEqual(['get', 'list', 'create', 'update', 'delete']);
    expect(verbsOf(ns, 'coordination.k8s.io', 'leases')).toEqual(['get', 'create', 'update']);
    const deployments = ns?.find((r) => r.resources?.includes('deployments'));
    expect(deployments).toEqual({
      apiGroups: ['apps'],
      resources: ['deployments'],
      resourceNames: [METER_NAME],
      verbs: ['get'],
    });
  });

  it('is namespaced to its own namespace and binds its ServiceAccount', () => {
    expect(o.role.metadata?.namespace).toBe('nodeless-system');
    expect(o.roleBinding.subjects).toEqual([
      { kind: 'ServiceAccount', name: METER_NAME, namespace: 'nodeless-system' },
    ]);
    expect(meterRbacList('other').map((x) => x.kind)).toEqual([
      'ServiceAccount',
      'ClusterRole',
      'ClusterRoleBinding',
      'Role',
      'RoleBinding',
    ]);
  });
});

describe("the meter's fence (ValidatingAdmissionPolicy)", () => {
  const [policy, binding] = meterFencePolicy();

  it("matches ConfigMap writes in nodeless-system by the meter's ServiceAccount only", () => {
    expect(policy?.apiVersion).toBe('admissionregistration.k8s.io/v1');
    expect(policy?.metadata?.name).toBe(METER_FENCE_NAME);
    expect(spec(policy ?? {})['matchConstraints']).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'nodeless-system' } },
      resourceRules: [
        {
          apiGroups: [''],
          apiVersions: ['v1'],
          operations: ['CREATE', 'UPDATE', 'DELETE'],
          resources: ['configmaps'],
        },
      ],
    });
    expect(meterUserName('nodeless-system')).toBe(
      'system:serviceaccount:nodeless-system:nodeless-meter',
    );
    expect(spec(policy ?? {})['matchConditions']).toEqual([
      {
        name: 'meter-service-account',
        expression:
          "request.userInfo.username == 'system:serviceaccount:nodeless-system:nodeless-meter'",
      },
    ]);
    expect(spec(policy ?? {})['failurePolicy']).toBe('Fail');
  });

  it('allows ledger objects and the switch, checking oldObject on DELETE and UPDATE', () => {
    expect(METER_FENCE_EXPRESSION).toContain(`'${LEDGER_LABEL}' in object.metadata.labels`);
    expect(METER_FENCE_EXPRESSION).toContain(`'${LEDGER_LABEL}' in oldObject.metadata.labels`);
    expect(METER_FENCE_EXPRESSION).toContain(`object.metadata.name == '${METER_PARAM_NAME}'`);
    expect(METER_FENCE_EXPRESSION).toContain("request.operation == 'DELETE' ||");
    expect(METER_FENCE_EXPRESSION).toContain("request.operation == 'CREATE' ||");
  });

  it('denies through its binding', () => {
    expect(binding?.kind).toBe('ValidatingAdmissionPolicyBinding');
    expect(spec(binding ?? {})).toEqual({
      policyName: METER_FENCE_NAME,
      validationActions: ['Deny'],
    });
  });
});
