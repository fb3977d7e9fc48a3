/**
 * The inverse of {@link deployObjects}: which form field an object's field path came from, so a
 * server's refusal (`spec.template.spec.containers[0].image` in a 422's causes, a path named in
 * an admission policy's message) or a server-side-apply conflict
 * (`.spec.template.spec.containers[name="web"].env[name="MODE"].value`) shows next to the control
 * the user can change. Paths of the pod a Deployment makes (`spec.containers[0]…`, from a pod's
 * dry run) map the same way.
 *
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts — path syntax
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation
 */
import type { DeployForm } from './form.ts';
import type { DeployObject } from './objects.ts';

/** The kinds whose paths this maps (`Pod`: the pods the Deployment creates). */
export type DeployPathKind = DeployObject['kind'] | 'Pod';

/** One step of a path: a field name, or a list item by index or by key fields. */
type Step = { field: string } | { index: number } | { keys: Record<string, string | number> };

/** `[name="web"]`, `[containerPort=8080,protocol="TCP"]` → their key fields. */
function keysOf(text: string): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const m of text.matchAll(/([A-Za-z]+)=("(?:[^"\\]|\\.)*"|[^,]+)/g)) {
    const raw = m[2] as string;
    out[m[1] as string] = raw.startsWith('"') ? (JSON.parse(raw) as string) : Number(raw);
  }
  return out;
}

/** Splits `spec.ports[0].port` / `.spec.x[name="a.b"].y` into steps. */
function stepsOf(path: string): Step[] {
  const steps: Step[] = [];
  const re = /\.?([A-Za-z0-9_-]+)|\[(\d+)\]|\[((?:[^\]"]|"(?:[^"\\]|\\.)*")*)\]/g;
  for (const m of path.matchAll(re)) {
    if (m[1] !== undefined) steps.push({ field: m[1] });
    else if (m[2] !== undefined) steps.push({ index: Number(m[2]) });
    else if (m[3] !== undefined) steps.push({ keys: keysOf(m[3]) });
  }
  return steps;
}

const fieldAt = (steps: Step[], i: number): string | undefined => {
  const s = steps[i];
  return s && 'field' in s ? s.field : undefined;
};

/** The form's list index a step names (by index, or by the key fields SSA uses). */
function indexOf(step: Step | undefined, find: (keys: Record<string, string | number>) => number) {
  if (!step) return -1;
  if ('index' in step) return step.index;
  if ('keys' in step) return find(step.keys);
  return -1;
}

const startsWith = (steps: Step[], fields: string[]): boolean =>
  fields.every((f, i) => fieldAt(steps, i) === f);

function envField(rest: Step[], form: DeployForm): string {
  const i = indexOf(rest[0], (k) => form.env.findIndex((e) => e.name === k['name']));
  if (i < 0) return 'env';
  const tail = rest.slice(1).map((s) => ('field' in s ? s.field : ''));
  const last = tail[tail.length - 1];
  if (tail[0] === 'valueFrom') return `env.${i}.${last === 'key' ? 'sourceKey' : 'sourceName'}`;
  return `env.${i}.${last === 'value' ? 'value' : 'name'}`;
}

function portField(rest: Step[], form: DeployForm, numberKey: string): string {
  const i = indexOf(rest[0], (k) =>
    form.ports.findIndex(
      (p) =>
        Number(p.containerPort) === k[numberKey] &&
        (k['protocol'] === undefined || p.protocol === k['protocol']),
    ),
  );
  if (i < 0) return 'ports';
  const f = fieldAt(rest, 1);
  if (f === 'name' || f === 'protocol') return `ports.${i}.${f}`;
  return `ports.${i}.containerPort`;
}

function probeField(rest: Step[]): string {
  const f = fieldAt(rest, rest.length - 1);
  if (f === 'path') return 'probe.path';
  if (f === 'periodSeconds' || f === 'initialDelaySeconds') return `probe.${f}`;
  return 'probe.port';
}

/** A path under the (only) container. */
function containerField(rest: Step[], form: DeployForm): string | undefined {
  const f = fieldAt(rest, 0);
  const after = rest.slice(1);
  switch (f) {
    case undefined:
      return undefined;
    case 'name':
      return 'name';
    case 'image':
    case 'command':
    case 'args':
      return f;
    case 'env':
      return envField(after, form);
    case 'ports':
      return portField(after, form, 'containerPort');
    case 'readinessProbe':
      return probeField(after);
    case 'resources':
      return 'size';
    default:
      return undefined;
  }
}

/** A path under a pod spec (`spec` of a Pod, `spec.template.spec` of a Deployment). */
function podSpecField(rest: Step[], form: DeployForm): string | undefined {
  if (fieldAt(rest, 0) === 'containers') return containerField(rest.slice(2), form);
  if (fieldAt(rest, 0) === 'resources' || fieldAt(rest, 0) === 'overhead') return 'size';
  return undefined;
}

function metadataField(kind: DeployPathKind, rest: Step[]): string | undefined {
  const f = fieldAt(rest, 0);
  if (f === 'namespace') return 'namespace';
  if (f === 'name') return kind === 'Namespace' ? 'namespace' : 'name';
  if (f === 'labels') return kind === 'Namespace' ? 'namespace' : 'name';
  return undefined;
}

/**
 * The form field behind `path` of an object of `kind` (`image`, `env.2.sourceKey`, `replicas`),
 * or undefined when the form has no field for it.
 */
export function formFieldOfPath(
  kind: DeployPathKind,
  path: string,
  form: DeployForm,
): string | undefined {
  const steps = stepsOf(path);
  if (fieldAt(steps, 0) === 'metadata') return metadataField(kind, steps.slice(1));
  if (fieldAt(steps, 0) !== 'spec') return undefined;
  const spec = steps.slice(1);
  if (kind === 'Pod') return podSpecField(spec, form);
  if (kind === 'Deployment') {
    if (startsWith(spec, ['replicas'])) return 'replicas';
    if (startsWith(spec, ['selector'])) return 'name';
    if (startsWith(spec, ['template', 'metadata'])) return 'name';
    if (startsWith(spec, ['template', 'spec'])) return podSpecField(spec.slice(2), form);
    return undefined;
  }
  if (kind === 'Service') {
    if (startsWith(spec, ['type'])) return 'expose';
    if (startsWith(spec, ['ports'])) return portField(spec.slice(1), form, 'port');
    if (startsWith(spec, ['selector'])) return 'name';
  }
  return undefined;
}

/** Object field paths as they appear inside a message (`spec.template.spec.containers[0].image`). */
const PATH_IN_TEXT = /\.?(?:spec|metadata)(?:\.[A-Za-z0-9_-]+|\[[^\]\s]*\])+/g;

/** The form field of the first object path a message names that the form has, if any. */
export function formFieldInMessage(
  kind: DeployPathKind,
  message: string,
  form: DeployForm,
): string | undefined {
  for (const m of message.matchAll(PATH_IN_TEXT)) {
    const field = formFieldOfPath(kind, m[0], form);
    if (field) return field;
  }
  return undefined;
}
