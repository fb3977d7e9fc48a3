/**
 * The manifests policies.int.test.ts sends to the real API server: each forbidden field on its
 * own, pods in init-container, sidecar and multi-container shapes, every workload kind. A case
 * either names a text the refusal must contain, or is admitted (pods: sized as common's
 * `podSizeOf` sizes the manifest; `label` pins a few sizes literally).
 */
import type { KubernetesObject } from '@kubernetes/client-node';

export interface PolicyCase {
  name: string;
  manifest: KubernetesObject & { spec?: unknown };
  /** Texts the refusal must contain (kubectl's stderr); absent = admitted. */
  refused?: string[];
  /** The size label an admitted pod must get (besides matching podSizeOf). */
  label?: string;
}

type Json = Record<string, unknown>;
const res = (requests?: Json, limits?: Json): Json => ({
  resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) },
});
const ctr = (name: string, extra: Json = {}): Json => ({ name, image: 'nginx:1.27', ...extra });

export function pod(name: string, spec: Json): PolicyCase['manifest'] {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { containers: [ctr('c')], ...spec },
  } as PolicyCase['manifest'];
}

const template = (spec: Json): Json => ({
  metadata: { labels: { app: 'x' } },
  spec: { containers: [ctr('c')], ...spec },
});

export function workload(kind: string, name: string, spec: Json): PolicyCase['manifest'] {
  const selector = { matchLabels: { app: 'x' } };
  const body: Record<string, Json> = {
    Deployment: { replicas: 1, selector, template: template(spec) },
    ReplicaSet: { replicas: 1, selector, template: template(spec) },
    StatefulSet: { replicas: 1, serviceName: name, selector, template: template(spec) },
    DaemonSet: { selector, template: template(spec) },
    Job: { template: template({ restartPolicy: 'Never', ...spec }) },
    CronJob: {
      schedule: '0 0 1 1 *',
      jobTemplate: { spec: { template: template({ restartPolicy: 'Never', ...spec }) } },
    },
  };
  const group = kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : 'apps/v1';
  return {
    apiVersion: group,
    kind,
    metadata: { name },
    spec: body[kind],
  } as PolicyCase['manifest'];
}

const hostPathVolumes = [
  { name: 'scratch', emptyDir: {} },
  { name: 'root', hostPath: { path: '/' } },
];
const ALT_VOLUME = 'use an emptyDir or a PersistentVolumeClaim';
const T = 'spec.template.spec';
const CJ = 'spec.jobTemplate.spec.template.spec';

/** Pods: PSA `baseline` (enforced by the namespace label) answers first for the fields it covers. */
export const POD_CASES: PolicyCase[] = [
  { name: 'no resources', manifest: pod('plain', {}), label: '0.25x0.5' },
  {
    name: 'requests',
    manifest: pod('req', { containers: [ctr('c', res({ cpu: '300m', memory: '600Mi' }))] }),
    label: '0.5x1',
  },
  {
    name: 'limits win over requests',
    manifest: pod('lim', {
      containers: [ctr('c', res({ cpu: '100m', memory: '64Mi' }, { cpu: '1', memory: '3Gi' }))],
    }),
    label: '1x3',
  },
  {
    name: 'multi-container sum',
    manifest: pod('multi', {
      containers: [
        ctr('a', res({ cpu: '1500m', memory: '2Gi' })),
        ctr('b', res({ cpu: '500m', memory: '1Gi' })),
        ctr('c'),
      ],
    }),
    label: '2x4',
  },
  {
    name: 'init container larger than the app',
    manifest: pod('init', {
      initContainers: [ctr('i', res({ cpu: '2', memory: '64Mi' }))],
      containers: [ctr('c', res({ cpu: '250m', memory: '1Gi' }))],
    }),
    label: '2x4',
  },
  {
    name: 'sidecar beside app and later init containers (sub-millicore quantity)',
    manifest: pod('sidecar', {
      initContainers: [
        ctr('s', { restartPolicy: 'Always', ...res({ cpu: '500m', memory: '256Mi' }) }),
        ctr('i', res(undefined, { cpu: '1500m', memory: '64Mi' })),
      ],
      containers: [ctr('c', res({ cpu: '0.1234', memory: '1Gi' }))],
    }),
  },
  {
    name: '7 vCPU / 13 GiB → 8x16',
    manifest: pod('seven', { containers: [ctr('c', res({ cpu: '7', memory: '13Gi' }))] }),
    label: '8x16',
  },
  {
    name: 'memory only',
    manifest: pod('mem', { containers: [ctr('c', res({ memory: '5Gi' }))] }),
    label: '1x5',
  },
  {
    name: 'CPU only',
    manifest: pod('cpu', { containers: [ctr('c', res({ cpu: '3' }))] }),
    label: '4x8',
  },
  {
    name: 'pod-level resources',
    manifest: pod('podlevel', { resources: { limits: { cpu: '2', memory: '6Gi' } } }),
    label: '2x6',
  },
  {
    name: 'the sandbox RuntimeClass named explicitly',
    manifest: pod('rc', { runtimeClassName: 'kata-clh' }),
  },
  {
    name: 'hostNetwork',
    manifest: pod('hostnet', { hostNetwork: true }),
    refused: ['PodSecurity "baseline:latest"', 'hostNetwork=true'],
  },
  { name: 'hostPID', manifest: pod('hostpid', { hostPID: true }), refused: ['hostPID=true'] },
  { name: 'hostIPC', manifest: pod('hostipc', { hostIPC: true }), refused: ['hostIPC=true'] },
  {
    name: 'hostPath',
    manifest: pod('hostpath', { volumes: hostPathVolumes }),
    refused: ['hostPath volumes (volume "root")'],
  },
  {
    name: 'hostPort',
    manifest: pod('hostport', {
      containers: [ctr('c', { ports: [{ containerPort: 80, hostPort: 8080 }] })],
    }),
    refused: ['hostPort (container "c" uses hostPort 8080)'],
  },
  {
    name: 'privileged',
    manifest: pod('priv', { containers: [ctr('c', { securityContext: { privileged: true } })] }),
    refused: ['privileged (container "c" must not set securityContext.privileged=true)'],
  },
  {
    name: 'added capability',
    manifest: pod('cap', {
      containers: [ctr('c', { securityContext: { capabilities: { add: ['NET_ADMIN'] } } })],
    }),
    refused: ['non-default capabilities (container "c" must not include "NET_ADMIN"'],
  },
  {
    name: 'added capability in an init container',
    manifest: pod('initcap', {
      initContainers: [ctr('i', { securityContext: { capabilities: { add: ['SYS_ADMIN'] } } })],
    }),
    refused: ['container "i" must not include "SYS_ADMIN"'],
  },
  {
    name: 'nodeName',
    manifest: pod('pinned', { nodeName: 'node-1' }),
    refused: ['spec.nodeName is not allowed', 'let the scheduler place the pod'],
  },
  {
    name: 'another RuntimeClass',
    manifest: pod('qemu', { runtimeClassName: 'kata-qemu' }),
    refused: ['spec.runtimeClassName: kata-qemu is not allowed', 'sandbox kata-clh'],
  },
  {
    name: 'bigger than the largest size',
    manifest: pod('huge', { containers: [ctr('c', res({ cpu: '32', memory: '13Gi' }))] }),
    refused: ['asks for 32 vCPU / 13 GiB', 'more than the largest pod size (16 vCPU / 128 GiB)'],
  },
  {
    name: 'bigger than any machine',
    manifest: pod('wide', { containers: [ctr('c', res({ cpu: '9', memory: '13Gi' }))] }),
    refused: ['sized 16x32', 'more than any machine can hold', '12 vCPU'],
  },
];

export const WORKLOAD_CASES: PolicyCase[] = [
  {
    name: 'Deployment',
    manifest: workload('Deployment', 'ok', {
      containers: [ctr('c', res({ cpu: '1', memory: '2Gi' }))],
    }),
  },
  { name: 'Job', manifest: workload('Job', 'ok', {}) },
  { name: 'CronJob', manifest: workload('CronJob', 'ok', {}) },
  { name: 'StatefulSet', manifest: workload('StatefulSet', 'ok', {}) },
  {
    name: 'Deployment hostPath',
    manifest: workload('Deployment', 'hostpath', { volumes: hostPathVolumes }),
    refused: [`${T}.volumes[1].hostPath is not allowed`, ALT_VOLUME],
  },
  {
    name: 'Deployment hostNetwork',
    manifest: workload('Deployment', 'hostnet', { hostNetwork: true }),
    refused: [`${T}.hostNetwork is not allowed`, 'Service'],
  },
  {
    name: 'Deployment hostIPC',
    manifest: workload('Deployment', 'hostipc', { hostIPC: true }),
    refused: [`${T}.hostIPC is not allowed`],
  },
  {
    name: 'StatefulSet hostPort in the second container',
    manifest: workload('StatefulSet', 'hostport', {
      containers: [ctr('a'), ctr('b', { ports: [{ containerPort: 80, hostPort: 80 }] })],
    }),
    refused: [
      `${T}.containers[1].ports[0].hostPort is not allowed`,
      'expose the port with a Service',
    ],
  },
  {
    name: 'ReplicaSet privileged init container',
    manifest: workload('ReplicaSet', 'priv', {
      initContainers: [ctr('i', { securityContext: { privileged: true } })],
    }),
    refused: [`${T}.initContainers[0].securityContext.privileged is not allowed`],
  },
  {
    name: 'Job capability beyond the default set',
    manifest: workload('Job', 'cap', {
      containers: [
        ctr('c', { securityContext: { capabilities: { add: ['CHOWN', 'SYS_ADMIN'] } } }),
      ],
    }),
    refused: [`${T}.containers[0].securityContext.capabilities.add[1] (SYS_ADMIN) is not allowed`],
  },
  {
    name: 'CronJob hostPID',
    manifest: workload('CronJob', 'hostpid', { hostPID: true }),
    refused: [`${CJ}.hostPID is not allowed`],
  },
  {
    name: 'CronJob hostPath',
    manifest: workload('CronJob', 'hostpath', {
      volumes: [{ name: 'root', hostPath: { path: '/' } }],
    }),
    refused: [`${CJ}.volumes[0].hostPath is not allowed`, ALT_VOLUME],
  },
  {
    name: 'Deployment nodeName',
    manifest: workload('Deployment', 'pinned', { nodeName: 'node-1' }),
    refused: [`${T}.nodeName is not allowed`],
  },
  {
    name: 'Deployment runc',
    manifest: workload('Deployment', 'runc', { runtimeClassName: 'runc' }),
    refused: [`${T}.runtimeClassName: runc is not allowed`],
  },
  {
    name: 'Deployment too big',
    manifest: workload('Deployment', 'huge', {
      containers: [ctr('c', res({ cpu: '8', memory: '200Gi' }))],
    }),
    refused: ['more than the largest pod size'],
  },
  {
    name: 'DaemonSet',
    manifest: workload('DaemonSet', 'agent', {}),
    refused: ['kind: DaemonSet is not allowed', 'use a Deployment'],
  },
  {
    name: 'NodePort Service',
    manifest: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'np' },
      spec: { type: 'NodePort', selector: { app: 'x' }, ports: [{ port: 80 }] },
    } as PolicyCase['manifest'],
    refused: ['spec.type: NodePort is not allowed', 'ClusterIP', 'LoadBalancer'],
  },
  {
    name: 'long-lived ServiceAccount token Secret',
    manifest: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'forever',
        annotations: { 'kubernetes.io/service-account.name': 'default' },
      },
      type: 'kubernetes.io/service-account-token',
    } as PolicyCase['manifest'],
    refused: ['type: kubernetes.io/service-account-token is not allowed', 'kubectl create token'],
  },
  {
    name: 'Opaque Secret',
    manifest: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'plain' },
      type: 'Opaque',
      stringData: { k: 'v' },
    } as PolicyCase['manifest'],
  },
  {
    name: 'ClusterIP Service',
    manifest: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'cip' },
      spec: { selector: { app: 'x' }, ports: [{ port: 80 }] },
    } as PolicyCase['manifest'],
  },
];
