import type { V1ConfigMap, V1Deployment, V1Lease, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { TENANT_REQUEST } from '../policies/manifest.ts';
import { FINALIZER_PATCH_EXPRESSION, meteringPolicy } from './meter-admission.ts';
import {
  METER_IMAGE_ARCHIVE,
  METER_VERSION,
  meterDeployment,
  meterImage,
  meterObjects,
} from './meter-install.ts';
import { METER_FINALIZER, METER_NAME, METER_PARAM_NAME } from './meter-names.ts';
import { imageProblems, leaseState, meterImageRemedy } from './meter-status.ts';

type Spec = Record<string, unknown>;
const spec = (o: object) => (o as { spec?: Spec }).spec ?? {};

describe('meter objects', () => {
  it('names the image and its archive after the version', () => {
    expect(METER_VERSION).toBe('0.1.0');
    expect(meterImage('0.2.0')).toBe('nodeless.dev/meter:0.2.0');
    expect(meterImage()).toBe('nodeless.dev/meter:0.1.0');
    expect(METER_IMAGE_ARCHIVE).toBe('nodeless-meter-0.1.0.tar');
  });

  it('lists RBAC, the fence, then the Deployment, each policy before its binding, and the param last', () => {
    const kinds = meterObjects().map((o) => o.kind);
    expect(kinds).toEqual([
      'ServiceAccount',
      'ClusterRole',
      'ClusterRoleBinding',
      'Role',
      'RoleBinding',
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicyBinding',
      'Deployment',
      // The finalizer's, then the sandbox-start record's.
      'MutatingAdmissionPolicy',
      'MutatingAdmissionPolicyBinding',
      'MutatingAdmissionPolicy',
      'MutatingAdmissionPolicyBinding',
      'ConfigMap',
    ]);
    const last = meterObjects().at(-1) as V1ConfigMap;
    expect(last.metadata).toMatchObject({ name: METER_PARAM_NAME, namespace: 'nodeless-system' });
  });

  it('runs 2 restricted replicas of its own size under the default runtime', () => {
    const d = meterDeployment();
    expect(d.metadata).toMatchObject({ name: METER_NAME, namespace: 'nodeless-system' });
    expect(d.spec?.replicas).toBe(2);
    const pod = d.spec?.template.spec;
    expect(pod?.runtimeClassName).toBeUndefined();
    expect(pod?.serviceAccountName).toBe(METER_NAME);
    expect(pod?.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const term = pod?.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
    expect(term?.[0]?.podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
    expect(pod?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toBe(
      undefined,
    );
    const c = pod?.containers[0];
    expect(c?.image).toBe('nodeless.dev/meter:0.1.0');
    expect(c?.imagePullPolicy).toBe('IfNotPresent');
    expect(c?.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(c?.resources?.requests).toEqual({ cpu: '250m', memory: '512Mi' });
    expect(c?.resources?.limits).toEqual(c?.resources?.requests);
    expect(c?.livenessProbe?.httpGet?.port).toBe('health');
    expect(c?.ports?.[0]?.containerPort).toBe(8080);
  });

  it('passes the pod name from the downward API as --identity, with the fixed flags', () => {
    const c = meterDeployment().spec?.template.spec?.containers[0];
    expect(c?.env).toEqual([
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ]);
    expect(c?.args?.join(' ')).toBe(
      '--namespace nodeless-system --lease-name nodeless-meter --identity $(POD_NAME) ' +
        '--sample-interval 15s --retention-days 35 --health-port 8080',
    );
  });

  it('takes another image (a registry copy) and version', () => {
    const d: V1Deployment = meterDeployment({
      image: 'reg:5000/nodeless/meter:0.1.0',
      version: '0.1.0',
    });
    expect(d.spec?.template.spec?.containers[0]?.image).toBe('reg:5000/nodeless/meter:0.1.0');
  });
});

describe('metering finalizer policy', () => {
  const [policy, binding] = meteringPolicy();

  it('is v1 like the serverless policies, on pod CREATE in tenant namespaces', () => {
    expect(policy?.apiVersion).toBe('admissionregistration.k8s.io/v1');
    expect(spec(policy ?? {})['matchConditions']).toEqual([
      { name: 'tenant-namespace', expression: TENANT_REQUEST },
    ]);
    expect(spec(policy ?? {})['matchConstraints']).toEqual({
      resourceRules: [
        { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] },
      ],
    });
    expect(spec(policy ?? {})['paramKind']).toEqual({ apiVersion: 'v1', kind: 'ConfigMap' });
  });

  it('binds the param nodeless-system/nodeless-meter, allowing when it is missing', () => {
    expect(spec(binding ?? {})['paramRef']).toEqual({
      name: METER_PARAM_NAME,
      namespace: 'nodeless-system',
      parameterNotFoundAction: 'Allow',
    });
  });

  it('patches the whole list when absent, appends otherwise, and nothing when present', () => {
    expect(FINALIZER_PATCH_EXPRESSION).toContain(`value: ['${METER_FINALIZER}']`);
    expect(FINALIZER_PATCH_EXPRESSION).toContain("path: '/metadata/finalizers/-'");
    expect(FINALIZER_PATCH_EXPRESSION).toContain(
      `'${METER_FINALIZER}' in object.metadata.finalizers ? []`,
    );
  });
});

describe('meter status', () => {
  const lease = (holder: string | undefined, renew: string): V1Lease => ({
    spec: {
      ...(holder ? { holderIdentity: holder } : {}),
      renewTime: renew as unknown as Date,
      leaseDurationSeconds: 15,
    },
  });
  const t0 = Date.parse('2026-12-02T10:00:00Z');

  it('is running within the lease duration, stale after, absent without a holder', () => {
    expect(leaseState(lease('m-1', '2026-12-02T10:00:00.000000Z'), t0 + 15_000)).toBe('running');
    expect(leaseState(lease('m-1', '2026-12-02T10:00:00.000000Z'), t0 + 15_001)).toBe('stale');
    expect(leaseState(lease(undefined, '2026-12-02T10:00:00Z'), t0)).toBe('absent');
    expect(leaseState(undefined, t0)).toBe('absent');
  });

  it('reports pods that cannot get their image', () => {
    const pod = (name: string, reason: string): V1Pod => ({
      metadata: { name },
      status: {
        containerStatuses: [
          {
            name: 'meter',
            image: 'x',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { waiting: { reason } },
          },
        ],
      },
    });
    expect(
      imageProblems([
        pod('a', 'ErrImageNeverPull'),
        pod('b', 'ContainerCreating'),
        pod('c', 'ImagePullBackOff'),
      ]),
    ).toEqual([
      { pod: 'a', reason: 'ErrImageNeverPull' },
      { pod: 'c', reason: 'ImagePullBackOff' },
    ]);
  });

  it('says how to load the image: ctr import on each node, or skopeo to a registry', () => {
    const text = meterImageRemedy({
      image: 'nodeless.dev/meter:0.1.0',
      version: '0.1.0',
      archive: '/opt/Nodeless/resources/nodeless-meter-0.1.0.tar',
    });
    expect(text).toContain(
      'k3s ctr images import /opt/Nodeless/resources/nodeless-meter-0.1.0.tar',
    );
    expect(text).toContain(
      'skopeo copy oci-archive:/opt/Nodeless/resources/nodeless-meter-0.1.0.tar docker://<registry>/nodeless/meter:0.1.0',
    );
  });
});
