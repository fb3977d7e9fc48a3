/**
 * Server-side printing: `meta.k8s.io/v1` Table for `kubectl get`, with the columns upstream's
 * printers use for the common kinds and NAME/AGE for the rest.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#receiving-resources-as-tables
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/printers/internalversion/printers.go
 */
import type { KubeObject } from '../store/types.ts';

type Cell = string | number;
interface Col {
  name: string;
  type: 'string' | 'integer' | 'date';
  priority?: number;
  cell: (o: Rec, now: number) => Cell;
}
type Rec = Record<string, unknown>;

const get = (o: unknown, path: string): unknown => {
  let cur = o;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Rec)[p];
  }
  return cur;
};
const str = (v: unknown, dflt = '<none>'): string =>
  v === undefined || v === null || v === ''
    ? dflt
    : typeof v === 'object'
      ? JSON.stringify(v)
      : String(v as string | number);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const arr = (v: unknown): Rec[] => (Array.isArray(v) ? (v as Rec[]) : []);

/** kubectl's HumanDuration, e.g. `45s`, `5m3s`, `2h`, `3d4h`. */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  return d < 365 * 2 ? `${d}d` : `${Math.floor(d / 365)}y`;
}

const age: Col = {
  name: 'Age',
  type: 'string',
  cell: (o, now) => {
    const ts = get(o, 'metadata.creationTimestamp');
    return typeof ts === 'string' ? humanDuration(now - Date.parse(ts)) : '<unknown>';
  },
};
const name: Col = { name: 'Name', type: 'string', cell: (o) => str(get(o, 'metadata.name'), '') };

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

const readyOf = (o: Rec, have: string, want: string): string =>
  `${num(get(o, have))}/${num(get(o, want))}`;

const KINDS: Record<string, Col[]> = {
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
  ],
  Deployment: [
    name,
    {
      name: 'Ready',
      type: 'string',
      cell: (o) => `${num(get(o, 'status.readyReplicas'))}/${num(get(o, 'spec.replicas') ?? 1)}`,
    },
    { name: 'Up-to-date', type: 'integer', cell: (o) => num(get(o, 'status.updatedReplicas')) },
    { name: 'Available', type: 'integer', cell: (o) => num(get(o, 'status.availableReplicas')) },
    age,
  ],
  ReplicaSet: [
    name,
    { name: 'Desired', type: 'integer', cell: (o) => num(get(o, 'spec.replicas')) },
    { name: 'Current', type: 'integer', cell: (o) => num(get(o, 'status.replicas')) },
    { name: 'Ready', type: 'integer', cell: (o) => num(get(o, 'status.readyReplicas')) },
    age,
  ],
  ReplicationController: [
    name,
    { name: 'Desired', type: 'integer', cell: (o) => num(get(o, 'spec.replicas')) },
    { name: 'Current', type: 'integer', cell: (o) => num(get(o, 'status.replicas')) },
    { name: 'Ready', type: 'integer', cell: (o) => num(get(o, 'status.readyReplicas')) },
    age,
  ],
  APIService: [
    name,
    {
      name: 'Service',
      type: 'string',
      cell: (o) => {
        const svc = get(o, 'spec.service') as Rec | undefined;
        return svc === undefined ? 'Local' : `${str(svc['namespace'])}/${str(svc['name'])}`;
      },
    },
    {
      name: 'Available',
      type: 'string',
      cell: (o) => {
        const c = arr(get(o, 'status.conditions')).find((x) => x['type'] === 'Available');
        if (c === undefined) return 'Unknown';
        return c['status'] === 'True' ? 'True' : `${str(c['status'])} (${str(c['reason'])})`;
      },
    },
    age,
  ],
  StatefulSet: [
    name,
    {
      name: 'Ready',
      type: 'string',
      cell: (o) => readyOf(o, 'status.readyReplicas', 'spec.replicas'),
    },
    age,
  ],
  DaemonSet: [
    name,
    { name: 'Desired', type: 'integer', cell: (o) => num(get(o, 'status.desiredNumberScheduled')) },
    { name: 'Current', type: 'integer', cell: (o) => num(get(o, 'status.currentNumberScheduled')) },
    { name: 'Ready', type: 'integer', cell: (o) => num(get(o, 'status.numberReady')) },
    { name: 'Available', type: 'integer', cell: (o) => num(get(o, 'status.numberAvailable')) },
    age,
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
  ],
  CronJob: [
    name,
    { name: 'Schedule', type: 'string', cell: (o) => str(get(o, 'spec.schedule')) },
    { name: 'Timezone', type: 'string', cell: (o) => str(get(o, 'spec.timeZone')) },
    { name: 'Suspend', type: 'string', cell: (o) => String(get(o, 'spec.suspend') === true) },
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
  ],
  Service: [
    name,
    { name: 'Type', type: 'string', cell: (o) => str(get(o, 'spec.type'), 'ClusterIP') },
    { name: 'Cluster-IP', type: 'string', cell: (o) => str(get(o, 'spec.clusterIP')) },
    { name: 'External-IP', type: 'string', cell: () => '<none>' },
    {
      name: 'Port(s)',
      type: 'string',
      cell: (o) =>
        arr(get(o, 'spec.ports'))
          .map(
            (p) =>
              `${num(p['port'])}${p['nodePort'] === undefined ? '' : `:${num(p['nodePort'])}`}/${str(p['protocol'], 'TCP')}`,
          )
          .join(',') || '<none>',
    },
    age,
  ],
  Node: [
    name,
    {
      name: 'Status',
      type: 'string',
      cell: (o) => {
        const ready = arr(get(o, 'status.conditions')).find((c) => c['type'] === 'Ready');
        const s = ready?.['status'] === 'True' ? 'Ready' : 'NotReady';
        return get(o, 'spec.unschedulable') === true ? `${s},SchedulingDisabled` : s;
      },
    },
    {
      name: 'Roles',
      type: 'string',
      cell: (o) =>
        Object.keys((get(o, 'metadata.labels') as Rec | undefined) ?? {})
          .filter((l) => l.startsWith('node-role.kubernetes.io/'))
          .map((l) => l.slice('node-role.kubernetes.io/'.length))
          .join(',') || '<none>',
    },
    age,
    {
      name: 'Version',
      type: 'string',
      cell: (o) => str(get(o, 'status.nodeInfo.kubeletVersion'), ''),
    },
  ],
  Namespace: [
    name,
    { name: 'Status', type: 'string', cell: (o) => str(get(o, 'status.phase'), 'Active') },
    age,
  ],
  ConfigMap: [
    name,
    {
      name: 'Data',
      type: 'integer',
      cell: (o) =>
        Object.keys((get(o, 'data') as Rec | undefined) ?? {}).length +
        Object.keys((get(o, 'binaryData') as Rec | undefined) ?? {}).length,
    },
    age,
  ],
  Secret: [
    name,
    { name: 'Type', type: 'string', cell: (o) => str(get(o, 'type'), 'Opaque') },
    {
      name: 'Data',
      type: 'integer',
      cell: (o) => Object.keys((get(o, 'data') as Rec | undefined) ?? {}).length,
    },
    age,
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
  Event: [
    {
      name: 'Last Seen',
      type: 'string',
      cell: (o, now) => {
        const t =
          get(o, 'lastTimestamp') ?? get(o, 'eventTime') ?? get(o, 'metadata.creationTimestamp');
        return typeof t === 'string' ? humanDuration(now - Date.parse(t)) : '<unknown>';
      },
    },
    { name: 'Type', type: 'string', cell: (o) => str(get(o, 'type'), '') },
    { name: 'Reason', type: 'string', cell: (o) => str(get(o, 'reason'), '') },
    {
      name: 'Object',
      type: 'string',
      cell: (o) =>
        `${str(get(o, 'involvedObject.kind'), '').toLowerCase()}/${str(get(o, 'involvedObject.name'), '')}`,
    },
    { name: 'Message', type: 'string', cell: (o) => str(get(o, 'message'), '') },
  ],
  ServiceAccount: [
    name,
    { name: 'Secrets', type: 'integer', cell: (o) => arr(get(o, 'secrets')).length },
    age,
  ],
};

/** Builds a Table of `objects` (all of one kind). `now` is simulated time in ms. */
export function toTable(
  kind: string,
  objects: readonly KubeObject[],
  now: number,
  resourceVersion: string,
  includeObject: string | null,
  continueToken?: string,
): object {
  const cols = KINDS[kind] ?? [name, age];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {
      resourceVersion,
      ...(continueToken === undefined ? {} : { continue: continueToken }),
    },
    columnDefinitions: cols.map((c) => ({
      name: c.name,
      type: c.type,
      format: c === name ? 'name' : '',
      description: c === name ? 'Name must be unique within a namespace.' : c.name,
      priority: c.priority ?? 0,
    })),
    rows: objects.map((o) => ({
      cells: cols.map((c) => c.cell(o as unknown as Rec, now)),
      object:
        includeObject === 'Object'
          ? o
          : includeObject === 'None'
            ? null
            : {
                kind: 'PartialObjectMetadata',
                apiVersion: 'meta.k8s.io/v1',
                metadata: { ...o.metadata, managedFields: undefined },
              },
    })),
  };
}
