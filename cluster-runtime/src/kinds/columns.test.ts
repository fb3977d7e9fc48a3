/**
 * kubectl's columns for services, HPAs (autoscaling/v2), nodes, namespaces and events of both
 * API versions, table-driven. The same columns are compared with the real API server's Table
 * output in test/kinds.int.test.ts.
 */
import type {
  CoreV1Event,
  EventsV1Event,
  V1Node,
  V1Service,
  V2HorizontalPodAutoscaler,
  V2MetricSpec,
  V2MetricStatus,
} from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { eventRow } from './event.ts';
import { formatHpaTargets, hpaRow } from './hpa.ts';
import { namespaceRow } from './namespace.ts';
import { nodeRow } from './node.ts';
import { serviceRow } from './service.ts';

// The wire carries RFC 3339 strings where client-node's types say Date.
const at = (s: string) => s as unknown as Date;

describe('HPA targets as kubectl prints them', () => {
  const cpu = (target: number): V2MetricSpec => ({
    type: 'Resource',
    resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } },
  });
  const cpuNow = (now: number): V2MetricStatus => ({
    type: 'Resource',
    resource: { name: 'cpu', current: { averageUtilization: now } },
  });
  const memory: V2MetricSpec = {
    type: 'Resource',
    resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } },
  };
  const pods: V2MetricSpec = {
    type: 'Pods',
    pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } },
  };
  const external: V2MetricSpec = {
    type: 'External',
    external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } },
  };
  it.each([
    [[], [], '<none>'],
    [[cpu(80)], [cpuNow(45)], 'cpu: 45%/80%'],
    [[cpu(80)], [], 'cpu: <unknown>/80%'],
    [
      [memory],
      [{ type: 'Resource', resource: { name: 'memory', current: { averageValue: '200Mi' } } }],
      'memory: 200Mi/500Mi',
    ],
    [[pods], [], '<unknown>/10'],
    [[external], [], '<unknown>/30 (avg)'],
    [[cpu(80), memory, pods], [cpuNow(10)], 'cpu: 10%/80%, memory: <unknown>/500Mi + 1 more...'],
  ] as [V2MetricSpec[], V2MetricStatus[], string][])('%#: %s', (specs, statuses, want) => {
    expect(formatHpaTargets(specs, statuses)).toBe(want);
  });

  it('says when metrics cannot be read instead of showing 0', () => {
    const hpa: V2HorizontalPodAutoscaler = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'team' },
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'web' },
        maxReplicas: 5,
        metrics: [cpu(50)],
      },
      status: {
        desiredReplicas: 1,
        currentReplicas: 1,
        conditions: [{ type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric' }],
      },
    };
    expect(hpaRow(hpa)).toMatchObject({
      target: { kind: 'Deployment', name: 'web' },
      targets: 'cpu: <unknown>/50%',
      min: 1,
      max: 5,
      scalingActive: false,
    });
  });
});

describe('service, node, namespace and event rows', () => {
  const service = (spec: V1Service['spec'], status?: V1Service['status']): V1Service => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 's', namespace: 'team' },
    spec,
    ...(status ? { status } : {}),
  });
  it.each([
    [
      service({
        type: 'ClusterIP',
        clusterIP: '10.43.0.10',
        ports: [
          { port: 80, protocol: 'TCP' },
          { port: 53, protocol: 'UDP' },
        ],
      }),
      '<none>',
      '80/TCP,53/UDP',
    ],
    [
      service({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }),
      '<none>',
      '80:30080/TCP',
    ],
    [service({ type: 'LoadBalancer', ports: [] }), '<pending>', '<none>'],
    [
      service(
        { type: 'LoadBalancer', externalIPs: ['1.2.3.4'] },
        { loadBalancer: { ingress: [{ ip: '9.9.9.9' }, { hostname: 'lb.example' }] } },
      ),
      '9.9.9.9,lb.example,1.2.3.4',
      '<none>',
    ],
    [service({ type: 'ExternalName', externalName: 'db.example' }), 'db.example', '<none>'],
  ])('service %#', (s, externalIP, ports) => {
    expect(serviceRow(s)).toMatchObject({ externalIP, ports });
  });

  const node = (labels: Record<string, string>, ready?: string, unschedulable = false): V1Node => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n', labels },
    spec: { unschedulable },
    status: {
      ...(ready ? { conditions: [{ type: 'Ready', status: ready }] } : {}),
      nodeInfo: { kubeletVersion: 'v1.36.3+k3s1', kernelVersion: '6.1.0' } as NonNullable<
        V1Node['status']
      >['nodeInfo'],
      runtimeHandlers: [{ name: 'runc' }, { name: 'kata-clh' }],
    },
  });
  it.each([
    [
      node(
        {
          'node-role.kubernetes.io/control-plane': 'true',
          'node-role.kubernetes.io/master': 'true',
        },
        'True',
      ),
      'Ready',
      ['control-plane', 'master'],
    ],
    [node({ 'kubernetes.io/role': 'agent' }, 'Unknown'), 'NotReady', ['agent']],
    [node({}, 'False', true), 'NotReady,SchedulingDisabled', []],
    [node({}), 'Unknown', []],
  ])('node %#', (n, status, roles) => {
    const row = nodeRow(n);
    expect(row).toMatchObject({
      status,
      roles,
      kubeletVersion: 'v1.36.3+k3s1',
      runtimeHandlers: ['runc', 'kata-clh'],
    });
    expect(row.ready).toBe(status === 'Ready');
  });

  it.each([
    ['team-a', true],
    ['default', true],
    ['kube-system', false],
    ['nodeless-system', false],
  ])('namespace %s is a tenant namespace: %s', (name, tenant) => {
    expect(namespaceRow({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }).tenant).toBe(
      tenant,
    );
  });

  const regarding = { kind: 'Pod', name: 'p', namespace: 'team', uid: 'pod-uid' };
  it('projects core/v1 and events.k8s.io/v1 events onto one row shape', () => {
    const core: CoreV1Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'p.1', namespace: 'team', uid: 'e1' },
      involvedObject: regarding,
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off restarting failed container',
      count: 7,
      firstTimestamp: at('2026-03-01T08:00:00Z'),
      lastTimestamp: at('2026-03-01T08:05:00Z'),
      source: { component: 'kubelet' },
    };
    const v1: EventsV1Event = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'p.2', namespace: 'team', uid: 'e2' },
      regarding,
      type: 'Normal',
      reason: 'Scheduled',
      note: 'Successfully assigned team/p to node-1',
      eventTime: at('2026-03-01T08:00:00.123456Z') as EventsV1Event['eventTime'],
      reportingController: 'default-scheduler',
    };
    expect(eventRow(core)).toMatchObject({
      type: 'Warning',
      reason: 'BackOff',
      regarding,
      count: 7,
      firstAt: Date.parse('2026-03-01T08:00:00Z'),
      lastAt: Date.parse('2026-03-01T08:05:00Z'),
      source: 'kubelet',
    });
    // A singleton of the new API has no count: kubectl shows 1, first and last = eventTime.
    expect(eventRow(v1)).toMatchObject({
      message: 'Successfully assigned team/p to node-1',
      regarding,
      count: 1,
      firstAt: Date.parse('2026-03-01T08:00:00.123Z'),
      lastAt: Date.parse('2026-03-01T08:00:00.123Z'),
      source: 'default-scheduler',
    });
    const series: EventsV1Event = {
      ...v1,
      series: {
        count: 4,
        lastObservedTime: at('2026-03-01T09:00:00Z') as EventsV1Event['eventTime'],
      },
    };
    expect(eventRow(series)).toMatchObject({
      count: 4,
      lastAt: Date.parse('2026-03-01T09:00:00Z'),
    });
  });
});
