/** A pod's life from its own API timestamps: identity, workload, billed size, start, end. */
import type {
  V1ContainerStatus,
  V1ObjectMeta,
  V1Pod,
  V1PodSpec,
  V1PodStatus,
} from '@kubernetes/client-node';
import { GIB, MIB } from '@nodeless/common';
import { describe, expect, it } from 'vitest';
import { OwnerIndex } from '../kinds/owners.ts';
import { SANDBOX_STARTED_CONDITION } from './meter-names.ts';
import { lifeSeconds, podLife } from './pod-life.ts';

const T0 = '2026-12-02T10:00:00Z';
const at = (seconds: number): string => new Date(Date.parse(T0) + seconds * 1000).toISOString();
const epoch = (seconds: number): number => Date.parse(T0) / 1000 + seconds;

/** A pod with a sandbox up at +2 s, one container that ran from +3 s to +13 s. */
type Pod = V1Pod & { metadata: V1ObjectMeta; spec: V1PodSpec; status: V1PodStatus };

function jobPod(): Pod {
  return {
    metadata: {
      uid: 'u-1',
      namespace: 'team-a',
      name: 'report-x7k2p',
      labels: { 'nodeless.dev/size': '0.5x1', app: 'report' },
      ownerReferences: [
        { apiVersion: 'batch/v1', kind: 'Job', name: 'report', uid: 'j', controller: true },
      ],
    },
    spec: {
      runtimeClassName: 'kata-clh',
      overhead: { cpu: '250m', memory: '130Mi' },
      containers: [{ name: 'c', resources: { limits: { cpu: '500m', memory: '1Gi' } } }],
    },
    status: {
      phase: 'Succeeded',
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'True', lastTransitionTime: at(2) as never },
      ],
      containerStatuses: [
        {
          name: 'c',
          image: 'i',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: {
            terminated: { exitCode: 0, startedAt: at(3) as never, finishedAt: at(12) as never },
          },
        },
      ],
    },
  };
}

describe('podLife', () => {
  it('records identity, size from the label, RuntimeClass and overhead as integers', () => {
    const life = podLife(jobPod());
    expect(life).toMatchObject({
      uid: 'u-1',
      namespace: 'team-a',
      name: 'report-x7k2p',
      owner: { kind: 'Job', name: 'report' },
      labels: { app: 'report' },
      spec: { cpuMilli: 500, memoryBytes: GIB },
      specSource: 'label',
      runtimeClass: 'kata-clh',
      overhead: { cpuMilli: 250, memoryBytes: 130 * MIB },
    });
  });

  it('bills a 10-second Job exactly: sandbox start to the last container finish', () => {
    const life = podLife(jobPod());
    expect(life).toMatchObject({ start: epoch(2), startSource: 'sandbox' });
    expect(life).toMatchObject({ end: epoch(12), endSource: 'containers' });
    expect(lifeSeconds(life, epoch(999))).toBe(10);
  });

  it('falls back to the earliest container start (init containers too) without the condition', () => {
    const pod = jobPod();
    pod.status.conditions = [];
    pod.status.initContainerStatuses = [
      {
        name: 'init',
        image: 'i',
        imageID: '',
        ready: false,
        restartCount: 0,
        state: {
          terminated: { exitCode: 0, startedAt: at(1) as never, finishedAt: at(2) as never },
        },
      },
    ];
    const life = podLife(pod);
    expect(life).toMatchObject({ start: epoch(1), startSource: 'container', end: epoch(12) });
  });

  it('ignores a condition turned False (its transition is the sandbox teardown, the end)', () => {
    const pod = jobPod();
    pod.status.conditions = [
      { type: 'PodReadyToStartContainers', status: 'False', lastTransitionTime: at(14) as never },
    ];
    expect(podLife(pod)).toMatchObject({ start: epoch(3), startSource: 'container' });
  });

  it('bills a pod that ended unseen from the recorded sandbox start, not its first container', () => {
    const pod = jobPod();
    // The pod's last state: the kubelet turned the sandbox condition False when it ended.
    pod.status.conditions = [
      { type: 'PodReadyToStartContainers', status: 'False', lastTransitionTime: at(14) as never },
      {
        type: SANDBOX_STARTED_CONDITION,
        status: 'True',
        reason: 'SandboxStarted',
        lastTransitionTime: at(2) as never,
      },
    ];
    const life = podLife(pod);
    expect(life).toMatchObject({ start: epoch(2), startSource: 'sandbox-started', end: epoch(12) });
    expect(lifeSeconds(life, epoch(999))).toBe(10);
  });

  it('prefers the recorded first sandbox start over a later one (a recreated sandbox)', () => {
    const pod = jobPod();
    pod.status.conditions = [
      { type: 'PodReadyToStartContainers', status: 'True', lastTransitionTime: at(5) as never },
      { type: SANDBOX_STARTED_CONDITION, status: 'True', lastTransitionTime: at(2) as never },
    ];
    expect(podLife(pod)).toMatchObject({ start: epoch(2), startSource: 'sandbox-started' });
  });

  it('ignores a recorded start that is not True or has no time, falling back as before', () => {
    const pod = jobPod();
    pod.status.conditions = [
      { type: 'PodReadyToStartContainers', status: 'True', lastTransitionTime: at(2) as never },
      { type: SANDBOX_STARTED_CONDITION, status: 'False', lastTransitionTime: at(0) as never },
    ];
    expect(podLife(pod)).toMatchObject({ start: epoch(2), startSource: 'sandbox' });
    pod.status.conditions = [{ type: SANDBOX_STARTED_CONDITION, status: 'True' }];
    expect(podLife(pod)).toMatchObject({ start: epoch(3), startSource: 'container' });
  });

  it('prefers the start the meter observed earlier (a recreated sandbox moves the condition)', () => {
    expect(podLife(jobPod(), { observedStart: epoch(1) })).toMatchObject({
      start: epoch(1),
      startSource: 'observed',
    });
  });

  it('a running pod has no end; a deleted running pod ends when the meter saw it go (rounded up)', () => {
    const pod = jobPod();
    pod.status.phase = 'Running';
    const running0: V1ContainerStatus = {
      name: 'c',
      image: 'i',
      imageID: '',
      ready: true,
      restartCount: 0,
    };
    pod.status.containerStatuses = [
      { ...running0, state: { running: { startedAt: at(3) as never } } },
    ];
    const running = podLife(pod);
    expect(running.end).toBeUndefined();
    expect(lifeSeconds(running, epoch(62))).toBe(60);
    const deleted = podLife(pod, { deletedAtMs: (epoch(40) + 0.2) * 1000 });
    expect(deleted).toMatchObject({ end: epoch(41), endSource: 'deleted' });
  });

  it('a deleted pod whose containers all report finishedAt ends then, not at deletion', () => {
    const pod = jobPod();
    pod.status.phase = 'Running';
    expect(podLife(pod, { deletedAtMs: epoch(30) * 1000 })).toMatchObject({
      end: epoch(12),
      endSource: 'containers',
    });
  });

  it('a pod whose sandbox never came up has no start and bills nothing', () => {
    const pod = jobPod();
    pod.status = { phase: 'Pending' };
    const life = podLife(pod, { deletedAtMs: epoch(30) * 1000 });
    expect(life.start).toBeUndefined();
    expect(life.end).toBeUndefined();
    expect(lifeSeconds(life, epoch(100))).toBe(0);
  });

  it('sizes from resources without the label, and the default size when nothing is asked', () => {
    const pod = jobPod();
    pod.metadata.labels = {};
    expect(podLife(pod)).toMatchObject({
      spec: { cpuMilli: 500, memoryBytes: GIB },
      specSource: 'size',
    });
    pod.spec.containers = [{ name: 'c' }];
    expect(podLife(pod)).toMatchObject({
      spec: { cpuMilli: 250, memoryBytes: 512 * MIB },
      specSource: 'default',
    });
  });

  it('resolves a ReplicaSet pod to its Deployment: through the index, else by pod-template-hash', () => {
    const pod = jobPod();
    pod.metadata.labels = { 'pod-template-hash': '5d9f7c' };
    pod.metadata.ownerReferences = [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d9f7c', uid: 'r', controller: true },
    ];
    expect(podLife(pod).owner).toEqual({ kind: 'Deployment', name: 'web' });
    const index = new OwnerIndex();
    index.set('ReplicaSet', 'team-a', 'web-5d9f7c', { kind: 'Deployment', name: 'frontend' });
    expect(podLife(pod, { owners: index }).owner).toEqual({ kind: 'Deployment', name: 'frontend' });
    pod.metadata.labels = {};
    expect(podLife(pod).owner).toEqual({ kind: 'ReplicaSet', name: 'web-5d9f7c' });
  });

  it('a container waiting to restart keeps a deleted pod alive until the deletion', () => {
    const pod = jobPod();
    pod.status.phase = 'Running';
    const [done] = pod.status.containerStatuses ?? [];
    pod.status.containerStatuses = [
      {
        ...(done as V1ContainerStatus),
        restartCount: 3,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: (done as V1ContainerStatus).state ?? {},
      },
    ];
    expect(podLife(pod).end).toBeUndefined();
    expect(podLife(pod, { deletedAtMs: epoch(50) * 1000 })).toMatchObject({
      end: epoch(50),
      endSource: 'deleted',
    });
  });

  it('a failed pod with no container finish ends at its last condition, even deleted later', () => {
    const pod = jobPod();
    pod.status.phase = 'Failed';
    pod.status.containerStatuses = [];
    pod.status.conditions = [
      { type: 'PodReadyToStartContainers', status: 'True', lastTransitionTime: at(2) as never },
      { type: 'Ready', status: 'False', lastTransitionTime: at(7) as never },
    ];
    expect(podLife(pod, { deletedAtMs: epoch(3600) * 1000 })).toMatchObject({
      start: epoch(2),
      end: epoch(7),
      endSource: 'conditions',
    });
  });
});
