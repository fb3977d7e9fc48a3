/**
 * Server-side printing columns of the other kinds kube-sim serves: Service, Node, Namespace,
 * ConfigMap, Secret, ServiceAccount, Event, APIService, Lease, PriorityClass, RuntimeClass,
 * RBAC roles and bindings, LimitRange, ResourceQuota, PodDisruptionBudget,
 * PersistentVolumeClaim and EndpointSlice — as upstream's printers define them.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/printers/internalversion/printers.go
 */
import {
  age,
  arr,
  createdAt,
  get,
  humanDuration,
  labelMap,
  name,
  num,
  since,
  str,
  type Col,
  type Rec,
} from './table-cells.ts';

/** A binding's subjects of one kind (`ns/name` for service accounts), comma-joined. */
function subjects(o: Rec, kind: string): string {
  return arr(get(o, 'subjects'))
    .filter((s) => s['kind'] === kind)
    .map((s) =>
      kind === 'ServiceAccount'
        ? `${str(s['namespace'], '')}/${str(s['name'], '')}`
        : str(s['name'], ''),
    )
    .join(', ');
}

const binding: Col[] = [
  name,
  {
    name: 'Role',
    type: 'string',
    cell: (o) => `${str(get(o, 'roleRef.kind'), '')}/${str(get(o, 'roleRef.name'), '')}`,
  },
  age,
  { name: 'Users', type: 'string', priority: 1, cell: (o) => subjects(o, 'User') },
  { name: 'Groups', type: 'string', priority: 1, cell: (o) => subjects(o, 'Group') },
  {
    name: 'ServiceAccounts',
    type: 'string',
    priority: 1,
    cell: (o) => subjects(o, 'ServiceAccount'),
  },
];

/** A ResourceQuota's `used/hard` per resource: requests (and plain counts) or `limits.*`. */
function quota(o: Rec, limits: boolean): string {
  const hard = (get(o, 'status.hard') ?? {}) as Record<string, string>;
  const used = (get(o, 'status.used') ?? {}) as Record<string, string>;
  return Object.keys(hard)
    .filter((k) => k.startsWith('limits.') === limits)
    .sort()
    .map((k) => `${k}: ${used[k] ?? '0'}/${hard[k] ?? ''}`)
    .join(', ');
}

const ACCESS_MODES: Record<string, string> = {
  ReadWriteOnce: 'RWO',
  ReadOnlyMany: 'ROX',
  ReadWriteMany: 'RWX',
  ReadWriteOncePod: 'RWOP',
};

/** Up to three endpoint addresses, then how many more (upstream's formatEndpointSlices). */
function sliceEndpoints(o: Rec): string {
  const addresses = arr(get(o, 'endpoints')).flatMap((e) =>
    Array.isArray(e['addresses']) ? (e['addresses'] as string[]) : [],
  );
  if (addresses.length === 0) return '<unset>';
  const more = addresses.length > 3 ? ` + ${addresses.length - 3} more...` : '';
  return `${addresses.slice(0, 3).join(',')}${more}`;
}

export const OTHER_COLUMNS: Record<string, Col[]> = {
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
    {
      name: 'Selector',
      type: 'string',
      priority: 1,
      cell: (o) => labelMap(get(o, 'spec.selector')),
    },
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
    {
      name: 'Internal-IP',
      type: 'string',
      priority: 1,
      cell: (o) =>
        str(arr(get(o, 'status.addresses')).find((a) => a['type'] === 'InternalIP')?.['address']),
    },
    {
      name: 'External-IP',
      type: 'string',
      priority: 1,
      cell: (o) =>
        str(arr(get(o, 'status.addresses')).find((a) => a['type'] === 'ExternalIP')?.['address']),
    },
    {
      name: 'OS-Image',
      type: 'string',
      priority: 1,
      cell: (o) => str(get(o, 'status.nodeInfo.osImage'), '<unknown>'),
    },
    {
      name: 'Kernel-Version',
      type: 'string',
      priority: 1,
      cell: (o) => str(get(o, 'status.nodeInfo.kernelVersion'), '<unknown>'),
    },
    {
      name: 'Container-Runtime',
      type: 'string',
      priority: 1,
      cell: (o) => str(get(o, 'status.nodeInfo.containerRuntimeVersion'), '<unknown>'),
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
    {
      name: 'Subobject',
      type: 'string',
      priority: 1,
      cell: (o) => str(get(o, 'involvedObject.fieldPath'), ''),
    },
    {
      name: 'Source',
      type: 'string',
      priority: 1,
      cell: (o) =>
        [get(o, 'source.component'), get(o, 'source.host')]
          .filter((x) => typeof x === 'string' && x !== '')
          .join(', ') || str(get(o, 'reportingComponent'), ''),
    },
    { name: 'Message', type: 'string', cell: (o) => str(get(o, 'message'), '') },
    {
      name: 'First Seen',
      type: 'string',
      priority: 1,
      cell: (o, now) => since(o, 'firstTimestamp', now),
    },
    { name: 'Count', type: 'string', priority: 1, cell: (o) => num(get(o, 'count') ?? 1) },
    { ...name, priority: 1 },
  ],
  ServiceAccount: [name, age],
  Lease: [
    name,
    { name: 'Holder', type: 'string', cell: (o) => str(get(o, 'spec.holderIdentity'), '') },
    age,
  ],
  PriorityClass: [
    name,
    { name: 'Value', type: 'integer', cell: (o) => num(get(o, 'value')) },
    { name: 'Global-Default', type: 'boolean', cell: (o) => get(o, 'globalDefault') === true },
    age,
    { name: 'PreemptionPolicy', type: 'string', cell: (o) => str(get(o, 'preemptionPolicy'), '') },
  ],
  RuntimeClass: [
    name,
    { name: 'Handler', type: 'string', cell: (o) => str(get(o, 'handler'), '') },
    age,
  ],
  Role: [name, createdAt],
  ClusterRole: [name, createdAt],
  RoleBinding: binding,
  ClusterRoleBinding: binding,
  LimitRange: [name, createdAt],
  ResourceQuota: [
    name,
    { name: 'Request', type: 'string', cell: (o) => quota(o, false) },
    { name: 'Limit', type: 'string', cell: (o) => quota(o, true) },
    age,
  ],
  PodDisruptionBudget: [
    name,
    { name: 'Min Available', type: 'string', cell: (o) => str(get(o, 'spec.minAvailable'), 'N/A') },
    {
      name: 'Max Unavailable',
      type: 'string',
      cell: (o) => str(get(o, 'spec.maxUnavailable'), 'N/A'),
    },
    {
      name: 'Allowed Disruptions',
      type: 'integer',
      cell: (o) => num(get(o, 'status.disruptionsAllowed')),
    },
    age,
  ],
  PersistentVolumeClaim: [
    name,
    { name: 'Status', type: 'string', cell: (o) => str(get(o, 'status.phase'), '') },
    { name: 'Volume', type: 'string', cell: (o) => str(get(o, 'spec.volumeName'), '') },
    { name: 'Capacity', type: 'string', cell: (o) => str(get(o, 'status.capacity.storage'), '') },
    {
      name: 'Access Modes',
      type: 'string',
      cell: (o) =>
        (Array.isArray(get(o, 'status.accessModes'))
          ? (get(o, 'status.accessModes') as string[])
          : []
        )
          .map((m) => ACCESS_MODES[m] ?? m)
          .join(','),
    },
    { name: 'StorageClass', type: 'string', cell: (o) => str(get(o, 'spec.storageClassName'), '') },
    {
      name: 'VolumeAttributesClass',
      type: 'string',
      cell: (o) => str(get(o, 'spec.volumeAttributesClassName'), '<unset>'),
    },
    age,
    {
      name: 'VolumeMode',
      type: 'string',
      priority: 1,
      cell: (o) => str(get(o, 'spec.volumeMode'), '<unset>'),
    },
  ],
  EndpointSlice: [
    name,
    { name: 'AddressType', type: 'string', cell: (o) => str(get(o, 'addressType'), '') },
    {
      name: 'Ports',
      type: 'string',
      cell: (o) =>
        arr(get(o, 'ports'))
          .map((p) => str(p['port'], ''))
          .join(',') || '<unset>',
    },
    { name: 'Endpoints', type: 'string', cell: sliceEndpoints },
    age,
  ],
};
