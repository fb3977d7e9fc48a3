/**
 * Server-side printing columns of the workload kinds (Pod, Deployment, ReplicaSet,
 * ReplicationController, StatefulSet, DaemonSet, Job, CronJob, HorizontalPodAutoscaler), as
 * upstream's printers define them, wide columns included.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/printers/internalversion/printers.go
 */
import {
  age,
  arr,
  get,
  goBool,
  humanDuration,
  labelMap,
  name,
  num,
  selectorOf,
  str,
  templateColumns,
  type Col,
  type Rec,
} from './table-cells.ts';

function podStatus(o: Rec): string {
  if (get(o, 'metadata.deletionTimestamp') !== undefined) return 'Terminating';
  let reason = str(get(o, 'status.reason'), '') || str(get(o, 'status.phase'), 'Pending');
  const inits = arr(get(o, 'status.initContainerStatuses'));
  for (const [i, c] of inits.entries()) {
    const t = get(c, 'state.terminated') as Rec | undefined;
    if (t !== undefined && num(t['exitCode']) === 0) continue;
    const w = str(get(c, 'state.waiting.reason'), '');
    if (w !== '' && w !== 'PodInitializing') return `Init:${w}`;
    return `Init:${i}/${arr(get(o, 'spec.initContainers')).length}`;
  }
  let running = false;
  for (const c of [...arr(get(o, 'status.containerStatuses'))].reverse()) {
    const w = str(get(c, 'state.waiting.reason'), '');
    const t = str(get(c, 'state.terminated.reason'), '');
    if (w !== '') reason = w;
    else if (t !== '') reason = t;
    else if (get(c, 'state.running') !== undefined && get(c, 'ready') === true) running = true;
  }
  if (reason === 'Completed' && running) reason = 'Running';
  return reason;
}

/** `ready/total` of a pod's readiness gates, `<none>` without any. */
function readinessGates(o: Rec): string {
  const gates = arr(get(o, 'spec.readinessGates'));
  if (gates.length === 0) return '<none>';
  const conds = arr(get(o, 'status.conditions'));
  const ready = gates.filter((g) =>
    conds.some((c) => c['type'] === g['conditionType'] && c['status'] === 'True'),
  ).length;
  return `${ready}/${gates.length}`;
}

const readyOf = (o: Rec, have: string, want: string): string =>
  `${num(get(o, have))}/${num(get(o, want))}`;

export const WORKLOAD_COLUMNS: Record<string, Col[]> = {
  Pod: [
    name,
    {
      name: 'Ready',
      type: 'string',
      cell: (o) =>
        `${arr(get(o, 'status.containerStatuses')).filter((c) => c['ready'] === true).length}/${arr(get(o, 'spec.containers')).length}`,
    },
    { name: 'Status', type: 'string', cell: podStatus },
    {
      name: 'Restarts',
      type: 'string',
      cell: (o) =>
        String(
          arr(get(o, 'status.containerStatuses')).reduce((n, c) => n + num(c['restartCount']), 0),
        ),
    },
    age,
    { name: 'IP', type: 'string', priority: 1, cell: (o) => str(get(o, 'status.podIP')) },
    { name: 'Node', type: 'string', priority: 1, cell: (o) => str(get(o, 'spec.nodeName')) },
    {
      name: 'Nominated Node',
      type: 'string',
      priority: 1,
      cell: (o) => str(get(o, 'status.nominatedNodeName')),
    },
    { name: 'Readiness Gates', type: 'string', priority: 1, cell: readinessGates },
  ],
  Deployment: [
    name,
    {
      name: 'Ready',
      type: 'string',
      cell: (o) => `${num(get(o, 'status.readyReplicas'))}/${num(get(o, 'spec.replicas') ?? 1)}`,
    },
    { name: 'Up-to-date', type: 'string', cell: (o) => num(get(o, 'status.updatedReplicas')) },
    { name: 'Available', type: 'string', cell: (o) => num(get(o, 'status.availableReplicas')) },
    age,
    ...templateColumns('spec.template.spec', (o) => selectorOf(get(o, 'spec.selector'))),
  ],
  ReplicaSet: [
    name,
    { name: 'Desired', type: 'integer', cell: (o) => num(get(o, 'spec.replicas')) },
    { name: 'Current', type: 'integer', cell: (o) => num(get(o, 'status.replicas')) },
    { name: 'Ready', type: 'integer', cell: (o) => num(get(o, 'status.readyReplicas')) },
    age,
    ...templateColumns('spec.template.spec', (o) => selectorOf(get(o, 'spec.selector'))),
  ],
  ReplicationController: [
    name,
    { name: 'Desired', type: 'integer', cell: (o) => num(get(o, 'spec.replicas')) },
    { name: 'Current', type: 'integer', cell: (o) => num(get(o, 'status.replicas')) },
    { name: 'Ready', type: 'integer', cell: (o) => num(get(o, 'status.readyReplicas')) },
    age,
    ...templateColumns('spec.template.spec', (o) => labelMap(get(o, 'spec.selector'))),
  ],
  StatefulSet: [
    name,
    {
      name: 'Ready',
      type: 'string',
      cell: (o) => readyOf(o, 'status.readyReplicas', 'spec.replicas'),
    },
    age,
    ...templateColumns('spec.template.spec'),
  ],
  DaemonSet: [
    name,
    { name: 'Desired', type: 'integer', cell: (o) => num(get(o, 'status.desiredNumberScheduled')) },
    { name: 'Current', type: 'integer', cell: (o) => num(get(o, 'status.currentNumberScheduled')) },
    { name: 'Ready', type: 'integer', cell: (o) => num(get(o, 'status.numberReady')) },
    {
      name: 'Up-to-date',
      type: 'integer',
      cell: (o) => num(get(o, 'status.updatedNumberScheduled')),
    },
    { name: 'Available', type: 'integer', cell: (o) => num(get(o, 'status.numberAvailable')) },
    {
      name: 'Node Selector',
      type: 'string',
      cell: (o) => labelMap(get(o, 'spec.template.spec.nodeSelector')),
    },
    age,
    ...templateColumns('spec.template.spec', (o) => selectorOf(get(o, 'spec.selector'))),
  ],
  Job: [
    name,
    {
      name: 'Status',
      type: 'string',
      cell: (o) => {
        const conds = arr(get(o, 'status.conditions')).filter((c) => c['status'] === 'True');
        if (conds.some((c) => c['type'] === 'Complete')) return 'Complete';
        if (conds.some((c) => c['type'] === 'Failed')) return 'Failed';
        return get(o, 'spec.suspend') === true ? 'Suspended' : 'Running';
      },
    },
    {
      name: 'Completions',
      type: 'string',
      cell: (o) => `${num(get(o, 'status.succeeded'))}/${num(get(o, 'spec.completions') ?? 1)}`,
    },
    {
      name: 'Duration',
      type: 'string',
      cell: (o, now) => {
        const start = get(o, 'status.startTime');
        if (typeof start !== 'string') return '';
        const end = get(o, 'status.completionTime');
        return humanDuration((typeof end === 'string' ? Date.parse(end) : now) - Date.parse(start));
      },
    },
    age,
    ...templateColumns('spec.template.spec', (o) => selectorOf(get(o, 'spec.selector'))),
  ],
  CronJob: [
    name,
    { name: 'Schedule', type: 'string', cell: (o) => str(get(o, 'spec.schedule')) },
    { name: 'Timezone', type: 'string', cell: (o) => str(get(o, 'spec.timeZone')) },
    { name: 'Suspend', type: 'boolean', cell: (o) => goBool(get(o, 'spec.suspend')) },
    { name: 'Active', type: 'integer', cell: (o) => arr(get(o, 'status.active')).length },
    {
      name: 'Last Schedule',
      type: 'string',
      cell: (o, now) => {
        const t = get(o, 'status.lastScheduleTime');
        return typeof t === 'string' ? humanDuration(now - Date.parse(t)) : '<none>';
      },
    },
    age,
    ...templateColumns('spec.jobTemplate.spec.template.spec', (o) =>
      selectorOf(get(o, 'spec.jobTemplate.spec.selector')),
    ),
  ],
  HorizontalPodAutoscaler: [
    name,
    {
      name: 'Reference',
      type: 'string',
      cell: (o) =>
        `${str(get(o, 'spec.scaleTargetRef.kind'), '')}/${str(get(o, 'spec.scaleTargetRef.name'), '')}`,
    },
    {
      name: 'Targets',
      type: 'string',
      cell: (o) => {
        const target = arr(get(o, 'spec.metrics')).find((m) => m['type'] === 'Resource');
        const want = get(target, 'resource.target.averageUtilization');
        const cur = arr(get(o, 'status.currentMetrics')).find((m) => m['type'] === 'Resource');
        const have = get(cur, 'resource.current.averageUtilization');
        return want === undefined
          ? '<none>'
          : `cpu: ${have === undefined ? '<unknown>' : `${num(have)}%`}/${num(want)}%`;
      },
    },
    { name: 'MinPods', type: 'integer', cell: (o) => num(get(o, 'spec.minReplicas') ?? 1) },
    { name: 'MaxPods', type: 'integer', cell: (o) => num(get(o, 'spec.maxReplicas')) },
    { name: 'Replicas', type: 'integer', cell: (o) => num(get(o, 'status.currentReplicas')) },
    age,
  ],
};
