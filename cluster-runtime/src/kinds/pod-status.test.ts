/**
 * kubectl's pod STATUS / READY / RESTARTS rules, case by case (printPod in
 * k8s.io/kubernetes/pkg/printers/internalversion/printers.go). The real API server's Table
 * output is compared with these projections in test/kinds.int.test.ts.
 */
import type {
  V1Container,
  V1ContainerState,
  V1ContainerStatus,
  V1Pod,
} from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { podStatusColumns, type PodStatusColumns } from './pod-status.ts';

const T1 = '2026-01-01T10:00:00Z';
const T2 = '2026-01-01T11:00:00Z';

// States as the API sends them (client-node types timestamps as Date; the wire has strings).
const running = (): V1ContainerState => ({ running: { startedAt: T1 as unknown as Date } });
const waiting = (reason: string): V1ContainerState => ({ waiting: { reason } });
const terminated = (exitCode: number, reason?: string, signal?: number): V1ContainerState => ({
  terminated: { exitCode, ...(reason ? { reason } : {}), ...(signal ? { signal } : {}) },
});

function cs(
  name: string,
  state: V1ContainerState,
  o: Partial<V1ContainerStatus> & { lastFinished?: string } = {},
): V1ContainerStatus {
  const { lastFinished, ...rest } = o;
  return {
    name,
    image: 'img',
    imageID: '',
    ready: false,
    restartCount: 0,
    state,
    ...(lastFinished
      ? { lastState: { terminated: { exitCode: 1, finishedAt: lastFinished as unknown as Date } } }
      : {}),
    ...rest,
  };
}

interface PodShape {
  phase?: string;
  reason?: string;
  containers?: string[];
  init?: (string | V1Container)[];
  statuses?: V1ContainerStatus[];
  initStatuses?: V1ContainerStatus[];
  conditions?: [string, string, string?][];
  deleting?: boolean;
}

function pod(p: PodShape): V1Pod {
  const container = (c: string | V1Container): V1Container =>
    typeof c === 'string' ? { name: c, image: 'img' } : c;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'p',
      namespace: 'ns',
      ...(p.deleting ? { deletionTimestamp: T2 as unknown as Date } : {}),
    },
    spec: {
      containers: (p.containers ?? ['app']).map(container),
      ...(p.init ? { initContainers: p.init.map(container) } : {}),
    },
    status: {
      phase: p.phase ?? 'Running',
      ...(p.reason ? { reason: p.reason } : {}),
      ...(p.statuses ? { containerStatuses: p.statuses } : {}),
      ...(p.initStatuses ? { initContainerStatuses: p.initStatuses } : {}),
      ...(p.conditions
        ? {
            conditions: p.conditions.map(([type, status, reason]) => ({
              type,
              status,
              ...(reason ? { reason } : {}),
            })),
          }
        : {}),
    },
  };
}

const sidecar: V1Container = { name: 'proxy', image: 'img', restartPolicy: 'Always' };

const cases: [string, PodShape, Partial<PodStatusColumns>][] = [
  [
    'pending, nothing reported yet',
    { phase: 'Pending' },
    { status: 'Pending', ready: 0, total: 1 },
  ],
  [
    'ContainerCreating',
    { phase: 'Pending', statuses: [cs('app', waiting('ContainerCreating'))] },
    { status: 'ContainerCreating', ready: 0, total: 1 },
  ],
  [
    'running and ready',
    { statuses: [cs('app', running(), { ready: true })] },
    { status: 'Running', ready: 1, total: 1, restarts: 0 },
  ],
  [
    'running, readiness probe failing',
    { statuses: [cs('app', running())] },
    { status: 'Running', ready: 0, total: 1 },
  ],
  [
    'CrashLoopBackOff with the time of the last restart',
    {
      statuses: [
        cs('app', waiting('CrashLoopBackOff'), { restartCount: 5, lastFinished: T2 }),
        cs('log', running(), { ready: true, restartCount: 1, lastFinished: T1 }),
      ],
      containers: ['app', 'log'],
    },
    { status: 'CrashLoopBackOff', ready: 1, total: 2, restarts: 6, lastRestartAt: Date.parse(T2) },
  ],
  [
    'ErrImagePull',
    { phase: 'Pending', statuses: [cs('app', waiting('ErrImagePull'))] },
    { status: 'ErrImagePull' },
  ],
  [
    'Completed',
    { phase: 'Succeeded', statuses: [cs('app', terminated(0, 'Completed'))] },
    { status: 'Completed', ready: 0 },
  ],
  [
    'Error',
    { phase: 'Failed', statuses: [cs('app', terminated(1, 'Error'))] },
    { status: 'Error' },
  ],
  ['OOMKilled', { statuses: [cs('app', terminated(137, 'OOMKilled'))] }, { status: 'OOMKilled' }],
  [
    'exit code without a reason',
    { statuses: [cs('app', terminated(3))] },
    { status: 'ExitCode:3' },
  ],
  [
    'signal without a reason',
    { statuses: [cs('app', terminated(137, undefined, 9))] },
    { status: 'Signal:9' },
  ],
  [
    'the first container decides (statuses are walked last to first)',
    {
      containers: ['a', 'b'],
      statuses: [cs('a', waiting('ImagePullBackOff')), cs('b', waiting('CrashLoopBackOff'))],
    },
    { status: 'ImagePullBackOff' },
  ],
  [
    'Completed beside a running container: Running when the pod is Ready',
    {
      containers: ['job', 'web'],
      statuses: [cs('job', terminated(0, 'Completed')), cs('web', running(), { ready: true })],
      conditions: [['Ready', 'True']],
    },
    { status: 'Running', ready: 1, total: 2 },
  ],
  [
    'Completed beside a running container: NotReady otherwise',
    {
      containers: ['job', 'web'],
      statuses: [cs('job', terminated(0, 'Completed')), cs('web', running(), { ready: true })],
      conditions: [['Ready', 'False']],
    },
    { status: 'NotReady' },
  ],
  [
    'Init:0/1 while the init container runs',
    {
      phase: 'Pending',
      init: ['setup'],
      initStatuses: [cs('setup', running())],
      statuses: [cs('app', waiting('PodInitializing'))],
    },
    { status: 'Init:0/1', ready: 0, total: 1 },
  ],
  [
    'Init:0/1 when the init container waits with PodInitializing',
    { phase: 'Pending', init: ['setup'], initStatuses: [cs('setup', waiting('PodInitializing'))] },
    { status: 'Init:0/1' },
  ],
  [
    'Init:1/2 after the first init container succeeded',
    {
      phase: 'Pending',
      init: ['a', 'b'],
      initStatuses: [cs('a', terminated(0, 'Completed')), cs('b', running())],
    },
    { status: 'Init:1/2' },
  ],
  [
    'Init:CrashLoopBackOff, counting init restarts while initialising',
    {
      phase: 'Pending',
      init: ['setup'],
      initStatuses: [
        cs('setup', waiting('CrashLoopBackOff'), { restartCount: 4, lastFinished: T1 }),
      ],
      statuses: [cs('app', waiting('PodInitializing'), { restartCount: 0 })],
    },
    { status: 'Init:CrashLoopBackOff', restarts: 4, lastRestartAt: Date.parse(T1) },
  ],
  [
    'Init:Error',
    { phase: 'Pending', init: ['setup'], initStatuses: [cs('setup', terminated(1, 'Error'))] },
    { status: 'Init:Error' },
  ],
  [
    'Init:ExitCode:2',
    { phase: 'Pending', init: ['setup'], initStatuses: [cs('setup', terminated(2))] },
    { status: 'Init:ExitCode:2' },
  ],
  [
    'Init:Signal:15',
    {
      phase: 'Pending',
      init: ['setup'],
      initStatuses: [cs('setup', terminated(143, undefined, 15))],
    },
    { status: 'Init:Signal:15' },
  ],
  [
    'PodInitializing once init is done',
    {
      phase: 'Pending',
      init: ['setup'],
      initStatuses: [cs('setup', terminated(0, 'Completed'), { restartCount: 2 })],
      statuses: [cs('app', waiting('PodInitializing'))],
    },
    // Restarts of a finished plain init container no longer count.
    { status: 'PodInitializing', restarts: 0 },
  ],
  [
    'a started sidecar counts as a container and lets initialisation go on',
    {
      init: [sidecar],
      initStatuses: [
        cs('proxy', running(), { started: true, ready: true, restartCount: 1, lastFinished: T1 }),
      ],
      statuses: [cs('app', running(), { ready: true, restartCount: 2, lastFinished: T2 })],
      conditions: [['Initialized', 'True']],
    },
    { status: 'Running', ready: 2, total: 2, restarts: 3, lastRestartAt: Date.parse(T2) },
  ],
  [
    'a sidecar that has not started holds initialisation',
    {
      phase: 'Pending',
      init: [sidecar, 'setup'],
      initStatuses: [cs('proxy', waiting('ContainerCreating'))],
    },
    { status: 'Init:ContainerCreating', ready: 0, total: 2 },
  ],
  [
    'Initialized=True counts the containers, but the init reason stays (as kubectl prints it)',
    {
      init: ['setup'],
      initStatuses: [cs('setup', running())],
      statuses: [cs('app', running(), { ready: true })],
      conditions: [['Initialized', 'True']],
    },
    { status: 'Init:0/1', ready: 1 },
  ],
  [
    'Terminating',
    { deleting: true, statuses: [cs('app', running(), { ready: true })] },
    { status: 'Terminating', ready: 1 },
  ],
  [
    'a finished pod being deleted stays Completed',
    { phase: 'Succeeded', deleting: true, statuses: [cs('app', terminated(0, 'Completed'))] },
    { status: 'Completed' },
  ],
  [
    'Unknown: deleted on an unreachable node',
    { deleting: true, reason: 'NodeLost', statuses: [cs('app', running(), { ready: true })] },
    { status: 'Unknown' },
  ],
  ['Evicted (status.reason)', { phase: 'Failed', reason: 'Evicted' }, { status: 'Evicted' }],
  [
    'SchedulingGated',
    { phase: 'Pending', conditions: [['PodScheduled', 'False', 'SchedulingGated']] },
    { status: 'SchedulingGated' },
  ],
  [
    'Pending and unschedulable reads Pending',
    { phase: 'Pending', conditions: [['PodScheduled', 'False', 'Unschedulable']] },
    { status: 'Pending' },
  ],
];

describe('kubectl pod status columns', () => {
  it.each(cases)('%s', (_name, shape, want) => {
    const got = podStatusColumns(pod(shape));
    expect(got).toMatchObject(want);
    if (!('lastRestartAt' in want)) expect(got.lastRestartAt).toBeUndefined();
  });
});
