/**
 * More of upstream's defaulting, per kind (admission.ts holds the workload and Service ones):
 * Secrets (`type: Opaque`, write-only `stringData` merged into base64 `data`), LimitRange
 * container items (default ← max, defaultRequest ← default or min), PersistentVolumeClaims
 * (`volumeMode: Filesystem`, `status.phase: Pending`, the `kubernetes.io/pvc-protection`
 * finalizer the StorageObjectInUseProtection admission plugin adds), StatefulSets (PVC
 * retention Retain/Retain), DaemonSets (RollingUpdate 1/0, 10 revisions, template generation
 * annotation), PriorityClasses (PreemptLowerPriority), and the always-present empty structs Go
 * serialises (`metadata: {}` of templates, a CronJob's `status: {}`), plus pod volume modes.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/v1/defaults.go
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/v1/conversion.go (Convert_v1_Secret_To_core_Secret: stringData)
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/apps/v1/defaults.go
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/scheduling/v1/defaults.go
 * @see https://github.com/kubernetes/kubernetes/blob/master/plugin/pkg/admission/storage/storageobjectinuseprotection/admission.go
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/apps/daemonset/strategy.go (template generation)
 */
import type { KubeObject } from '../store/types.ts';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);
const rec = (o: Rec, key: string): Rec => {
  const v = o[key];
  if (isRec(v)) return v;
  const fresh: Rec = {};
  o[key] = fresh;
  return fresh;
};

/** Default file mode of secret, configMap, projected and downwardAPI volumes (0644). */
const VOLUME_MODE = 420;

function secretDefaults(o: KubeObject): void {
  o['type'] ??= 'Opaque';
  const stringData = o['stringData'];
  if (!isRec(stringData)) return;
  const data = isRec(o['data']) ? o['data'] : {};
  for (const [k, v] of Object.entries(stringData))
    data[k] = Buffer.from(typeof v === 'string' ? v : String(v)).toString('base64');
  o['data'] = data;
  delete o['stringData'];
}

function limitRangeDefaults(spec: Rec): void {
  const limits = Array.isArray(spec['limits']) ? (spec['limits'] as unknown[]) : [];
  for (const item of limits) {
    if (!isRec(item) || item['type'] !== 'Container') continue;
    const dflt = rec(item, 'default');
    const request = rec(item, 'defaultRequest');
    for (const [k, v] of Object.entries(isRec(item['max']) ? item['max'] : {})) dflt[k] ??= v;
    for (const [k, v] of Object.entries(dflt)) request[k] ??= v;
    for (const [k, v] of Object.entries(isRec(item['min']) ? item['min'] : {})) request[k] ??= v;
  }
}

function pvcDefaults(o: KubeObject, spec: Rec): void {
  spec['volumeMode'] ??= 'Filesystem';
  const status = rec(o, 'status');
  status['phase'] ??= 'Pending';
  const finalizers = o.metadata.finalizers ?? [];
  if (
    o.metadata.deletionTimestamp === undefined &&
    !finalizers.includes('kubernetes.io/pvc-protection')
  )
    o.metadata.finalizers = [...finalizers, 'kubernetes.io/pvc-protection'];
}

function podVolumeDefaults(podSpec: Rec): void {
  const volumes = Array.isArray(podSpec['volumes']) ? (podSpec['volumes'] as unknown[]) : [];
  for (const v of volumes) {
    if (!isRec(v)) continue;
    for (const kind of ['secret', 'configMap', 'projected', 'downwardAPI'])
      if (isRec(v[kind])) v[kind]['defaultMode'] ??= VOLUME_MODE;
  }
}

/** Pod specs of `o`: its own (a Pod) or its template's (workloads, a CronJob's job template). */
function podSpecs(o: KubeObject, spec: Rec): Rec[] {
  if (o.kind === 'Pod') return [spec];
  const template = isRec(spec['template']) ? spec['template'] : undefined;
  const jobTemplate = isRec(spec['jobTemplate']) ? spec['jobTemplate'] : undefined;
  const jobSpec = isRec(jobTemplate?.['spec']) ? jobTemplate['spec'] : undefined;
  const inner = isRec(jobSpec?.['template']) ? jobSpec['template'] : undefined;
  return [template, inner]
    .filter(isRec)
    .map((t) => {
      t['metadata'] ??= {};
      return t['spec'];
    })
    .filter(isRec);
}

/** Applies these defaults to `o` in place (create and update). */
export function kindDefaults(o: KubeObject): void {
  if (o.kind === 'Secret') return secretDefaults(o);
  if (o.kind === 'PriorityClass') {
    o['preemptionPolicy'] ??= 'PreemptLowerPriority';
    return;
  }
  const spec = isRec(o['spec']) ? o['spec'] : undefined;
  if (spec === undefined) return;
  switch (o.kind) {
    case 'LimitRange':
      limitRangeDefaults(spec);
      break;
    case 'PersistentVolumeClaim':
      pvcDefaults(o, spec);
      break;
    case 'StatefulSet':
      spec['persistentVolumeClaimRetentionPolicy'] ??= {
        whenDeleted: 'Retain',
        whenScaled: 'Retain',
      };
      break;
    case 'DaemonSet':
      spec['updateStrategy'] ??= {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
      };
      spec['revisionHistoryLimit'] ??= 10;
      o.metadata.annotations = {
        'deprecated.daemonset.template.generation': '1',
        ...o.metadata.annotations,
      };
      break;
    case 'CronJob':
      if (isRec(spec['jobTemplate'])) spec['jobTemplate']['metadata'] ??= {};
      o['status'] ??= {};
      break;
  }
  for (const podSpec of podSpecs(o, spec)) podVolumeDefaults(podSpec);
}
