/**
 * What the demo cluster runs: a few namespaces of ordinary workloads, shaped as Nodeless's
 * serverless layer leaves them after admission (DESIGN.md §5) — every pod template is in the
 * sandbox RuntimeClass (so RuntimeClass admission adds `spec.overhead`), asks for exactly one
 * pod size (requests = limits) and carries that size in `nodeless.dev/size`. kube-sim's
 * simulation then does the rest as a cluster would: schedules, starts sandboxes, restarts the
 * crashing worker (CrashLoopBackOff), completes the Job, leaves the oversized trainer Pending
 * with a FailedScheduling event, and records events for all of it.
 *
 * Sized so that Overview has something true to show on three 8 vCPU / 32 GiB machines: a pool
 * about half taken, one Pending pod that fits no machine, one crash-looping pod.
 *
 * @see ../../../shared/DESIGN.md §5 (sizes, sandbox RuntimeClass)
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/pod-overhead/
 * @see https://kubernetes.io/docs/concepts/workloads/
 */
import { billableSize, MIB, podSizeLabel } from '@nodeless/common';
import { runtimeClassFor, SANDBOX_NODE_LABEL, SIZE_LABEL } from '@nodeless/cluster-runtime';
import type { KubernetesObject } from '@kubernetes/client-node';
import { CRASH_SENTINEL, DURATION_ANNOTATION } from '../kube-sim/sim/index.ts';

/** The sandbox RuntimeClass every demo pod runs under (Kata with Cloud Hypervisor). */
export const DEMO_RUNTIME_CLASS = 'kata-clh';

/** A manifest as `kubectl apply` sends it. */
export type DemoObject = KubernetesObject & Record<string, unknown>;

/** The demo's machines: what `startKubeSim({ simOptions: { nodeTemplate } })` gets. */
export const DEMO_MACHINE = {
  cpu: '8',
  memory: '32Gi',
  pods: 110,
  labels: { [SANDBOX_NODE_LABEL]: 'kata' },
} as const;
export const DEMO_MACHINES = 3;

export const DEMO_NAMESPACES = ['shop', 'data', 'ml'] as const;

interface Sized {
  labels: Record<string, string>;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
}

/** A pod size by vCPU (millicores) and memory (MiB), as admission rounds and records it. */
function sized(cpuMilli: number, memoryMiB: number): Sized {
  const size = billableSize({ cpuMilli, memoryBytes: memoryMiB * MIB });
  const amount = { cpu: `${size.cpuMilli}m`, memory: `${size.memoryBytes / MIB}Mi` };
  return {
    labels: { [SIZE_LABEL]: podSizeLabel(size) },
    resources: { requests: { ...amount }, limits: { ...amount } },
  };
}

interface ContainerInput {
  image: string;
  size: Sized;
  command?: string[];
  args?: string[];
  port?: number;
}

/** A pod template in the sandbox class, labelled with its app and its size. */
function template(
  app: string,
  c: ContainerInput,
  extra: { annotations?: Record<string, string>; restartPolicy?: string } = {},
): Record<string, unknown> {
  return {
    metadata: {
      labels: { app, ...c.size.labels },
      ...(extra.annotations ? { annotations: extra.annotations } : {}),
    },
    spec: {
      runtimeClassName: DEMO_RUNTIME_CLASS,
      ...(extra.restartPolicy ? { restartPolicy: extra.restartPolicy } : {}),
      containers: [
        {
          name: app,
          image: c.image,
          ...(c.command ? { command: c.command } : {}),
          ...(c.args ? { args: c.args } : {}),
          ...(c.port ? { ports: [{ containerPort: c.port }] } : {}),
          resources: c.size.resources,
        },
      ],
    },
  };
}

function deployment(ns: string, name: string, replicas: number, c: ContainerInput): DemoObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: template(name, c) },
  };
}

function service(ns: string, name: string, port: number, headless = false): DemoObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: {
      ...(headless ? { clusterIP: 'None' } : {}),
      selector: { app: name },
      ports: [{ port, targetPort: port }],
    },
  };
}

function namespace(name: string): DemoObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: {
        'kubernetes.io/metadata.name': name,
        // As Nodeless labels tenant namespaces (DESIGN.md §5: baseline enforced, restricted warned).
        'pod-security.kubernetes.io/enforce': 'baseline',
        'pod-security.kubernetes.io/warn': 'restricted',
      },
    },
  };
}

/** Every object of the demo, in the order to create them (namespaces and classes first). */
export function demoObjects(): DemoObject[] {
  const rc: DemoObject = { ...runtimeClassFor(DEMO_RUNTIME_CLASS) };
  return [
    rc,
    ...DEMO_NAMESPACES.map(namespace),
    // shop: a web shop's storefront, API and cache, plus its nightly report.
    deployment('shop', 'web', 3, { image: 'nginx:1.27', size: sized(500, 1024), port: 80 }),
    service('shop', 'web', 80),
    deployment('shop', 'api', 2, {
      image: 'ghcr.io/example/shop-api:2.4.1',
      size: sized(1000, 2048),
      port: 8080,
    }),
    service('shop', 'api', 8080),
    service('shop', 'redis', 6379, true),
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'redis', namespace: 'shop', labels: { app: 'redis' } },
      spec: {
        serviceName: 'redis',
        replicas: 1,
        selector: { matchLabels: { app: 'redis' } },
        template: template('redis', { image: 'redis:7.4', size: sized(1000, 2048), port: 6379 }),
      },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly-report', namespace: 'shop', labels: { app: 'nightly-report' } },
      spec: {
        schedule: '0 2 * * *',
        jobTemplate: {
          spec: {
            template: template(
              'nightly-report',
              {
                image: 'ghcr.io/example/shop-report:1.3.0',
                size: sized(250, 512),
                args: ['--since=24h'],
              },
              { restartPolicy: 'OnFailure' },
            ),
          },
        },
      },
    },
    // data: a backfill Job that runs a minute and completes, and a worker that crash-loops.
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'backfill-2025-q1', namespace: 'data', labels: { app: 'backfill' } },
      spec: {
        completions: 4,
        parallelism: 2,
        backoffLimit: 2,
        template: template(
          'backfill',
          {
            image: 'ghcr.io/example/etl:5.0.2',
            size: sized(1000, 4096),
            args: ['backfill', '--quarter=2025-Q1'],
          },
          { restartPolicy: 'Never', annotations: { [DURATION_ANNOTATION]: '30000' } },
        ),
      },
    },
    deployment('data', 'ingest-worker', 1, {
      image: 'ghcr.io/example/ingest:0.9.4',
      size: sized(250, 512),
      // kube-sim's kubelet makes a container whose command names its crash sentinel exit 1,
      // so this worker shows CrashLoopBackOff as a worker with a bad config would.
      command: [
        'sh',
        '-c',
        `ingest --queue=events --config=/etc/ingest/missing.yaml # ${CRASH_SENTINEL}`,
      ],
    }),
    deployment('data', 'etl-scheduler', 1, {
      image: 'ghcr.io/example/etl:5.0.2',
      size: sized(250, 1024),
      args: ['scheduler'],
    }),
    // ml: inference serving, and a trainer bigger than any machine (stays Pending).
    deployment('ml', 'inference', 2, {
      image: 'ghcr.io/example/inference:2025.3',
      size: sized(2000, 8192),
      port: 8000,
    }),
    service('ml', 'inference', 8000),
    deployment('ml', 'trainer', 1, {
      image: 'ghcr.io/example/trainer:2025.3',
      size: sized(16000, 65536),
      args: ['--epochs=40'],
    }),
  ];
}
