import { describe, expect, it } from 'vitest';
import { podSummary } from './pod-detail-model.ts';

describe('podSummary', () => {
  it('reads containers, their status, conditions and placement', () => {
    const s = podSummary({
      spec: {
        nodeName: 'm1',
        runtimeClassName: 'kata',
        initContainers: [{ name: 'init', image: 'busybox:1.36' }],
        containers: [
          {
            name: 'web',
            image: 'nginx:1.27',
            resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '1Gi' } },
          },
        ],
      },
      status: {
        podIP: '10.42.0.7',
        qosClass: 'Burstable',
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'ContainersNotReady',
            message: 'web not ready',
          },
        ],
        initContainerStatuses: [
          {
            name: 'init',
            ready: true,
            restartCount: 0,
            state: { terminated: { reason: 'Completed', exitCode: 0 } },
          },
        ],
        containerStatuses: [
          {
            name: 'web',
            ready: false,
            restartCount: 3,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
          },
        ],
      },
    });
    expect(s.containers).toEqual([
      {
        name: 'init',
        image: 'busybox:1.36',
        init: true,
        requests: '',
        limits: '',
        ready: true,
        restarts: 0,
        state: 'Terminated: Completed (exit 0)',
      },
      {
        name: 'web',
        image: 'nginx:1.27',
        init: false,
        requests: 'cpu: 500m, memory: 1Gi',
        limits: 'memory: 1Gi',
        ready: false,
        restarts: 3,
        state: 'Waiting: CrashLoopBackOff',
      },
    ]);
    expect(s.conditions).toEqual([
      { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'web not ready' },
    ]);
    expect(s).toMatchObject({
      node: 'm1',
      runtimeClass: 'kata',
      podIP: '10.42.0.7',
      qosClass: 'Burstable',
    });
  });

  it('gives empty lists for an object of an unexpected shape', () => {
    expect(podSummary({ spec: 'nope', status: { conditions: [1, null] } })).toEqual({
      containers: [],
      conditions: [],
    });
  });
});
