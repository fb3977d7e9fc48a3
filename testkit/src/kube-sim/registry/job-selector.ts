/**
 * What the Job registry strategy does on create: unless `spec.manualSelector`, it labels the
 * pod template with the job's name and uid (`batch.kubernetes.io/job-name`,
 * `batch.kubernetes.io/controller-uid` and their legacy `job-name`, `controller-uid`) and
 * selects on `batch.kubernetes.io/controller-uid`. A Job without labels of its own shares its
 * template's labels (v1 defaulting aliases the two maps, so it ends up with these too).
 * `manualSelector` defaults to false, `podReplacementPolicy` to TerminatingOrFailed.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/batch/job/strategy.go (generateSelector)
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/batch/v1/defaults.go (SetDefaults_Job)
 */
import type { KubeObject } from '../store/types.ts';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Applies the generated selector to `job` (whose metadata.uid is set) in place. */
export function generateJobSelector(job: KubeObject): void {
  const spec = isRec(job['spec']) ? job['spec'] : undefined;
  const template = isRec(spec?.['template']) ? spec['template'] : undefined;
  if (spec === undefined || template === undefined) return;
  const ownLabels = Object.keys(job.metadata.labels ?? {}).length > 0;
  spec['podReplacementPolicy'] ??=
    spec['podFailurePolicy'] === undefined ? 'TerminatingOrFailed' : 'Failed';
  if (spec['manualSelector'] === true) return;
  spec['manualSelector'] ??= false;
  const meta = isRec(template['metadata']) ? template['metadata'] : (template['metadata'] = {});
  const labels = (isRec(meta['labels']) ? meta['labels'] : (meta['labels'] = {})) as Record<
    string,
    string
  >;
  const name = job.metadata.name ?? '';
  const uid = job.metadata.uid ?? '';
  for (const key of ['job-name', 'batch.kubernetes.io/job-name']) labels[key] ??= name;
  for (const key of ['controller-uid', 'batch.kubernetes.io/controller-uid']) labels[key] ??= uid;
  const selector = isRec(spec['selector']) ? spec['selector'] : (spec['selector'] = {});
  const match = (isRec(selector['matchLabels']) ? selector['matchLabels'] : {}) as Rec;
  selector['matchLabels'] = {
    ...match,
    'batch.kubernetes.io/controller-uid': match['batch.kubernetes.io/controller-uid'] ?? uid,
  };
  if (!ownLabels) job.metadata.labels = { ...labels };
}
