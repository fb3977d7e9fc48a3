/**
 * Unknown fields, as kube-apiserver finds them: for the kinds whose schema kube-sim describes
 * completely (`schemas.ts`, `kind-schemas.ts`), an object's fields are walked against it, and
 * every field the schema does not declare is named in both of upstream's spellings — strict
 * decoding's (`spec.template.spec.containers[0].imagee`) and server-side apply's
 * (`.spec.template.spec.containers[name="web"].imagee`). Descent stops at free-form parts
 * ('o' fields, maps) and at types kube-sim describes only in part (PodSpec, Container, Volume):
 * there nothing is called unknown, so nothing valid is refused.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation
 * @see https://github.com/kubernetes/enhancements/tree/master/keps/sig-api-machinery/2885-server-side-unknown-field-validation
 */
import type { ResourceInfo } from '../registry/resources.ts';
import { SPECS, TOP_FIELDS } from './kind-schemas.ts';
import { TYPES, type Field, type FieldType, type TypeDef } from './schemas.ts';

/** Named types whose every upstream field is listed (the others are walked no further). */
const COMPLETE_TYPES = new Set([
  'ObjectMeta',
  'OwnerReference',
  'LabelSelector',
  'PodTemplateSpec',
  'ContainerPort',
  'EnvVar',
  'VolumeMount',
  'ResourceRequirements',
  'Probe',
  'Toleration',
  'ServicePort',
]);

/** Kinds whose top-level fields are all in TOP_FIELDS (core `Event` lacks related/series). */
const COMPLETE_TOP = new Set(Object.keys(TOP_FIELDS).filter((k) => k !== 'Event'));

/** One step of a path: a field name, or a list item (its index and, when keyed, its key). */
type Step = string | { index: number; key?: [string, unknown] };

export interface UnknownField {
  /** Strict decoding's spelling: `spec.template.spec.containers[0].imagee`. */
  path: string;
  /** Server-side apply's spelling: `.spec.template.spec.containers[name="web"].imagee`. */
  applyPath: string;
  /** Removes the field from the object it was found in (what upstream's decoder drops). */
  drop(): boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function strictPath(steps: readonly Step[]): string {
  return steps
    .map((s, i) => (typeof s === 'string' ? (i === 0 ? s : `.${s}`) : `[${s.index}]`))
    .join('');
}

function applyPath(steps: readonly Step[]): string {
  return steps
    .map((s) => {
      if (typeof s === 'string') return `.${s}`;
      if (!s.key) return `[${s.index}]`;
      const [k, v] = s.key;
      return `[${k}=${typeof v === 'string' ? JSON.stringify(v) : String(v)}]`;
    })
    .join('');
}

const fieldType = (f: Field | FieldType): FieldType =>
  typeof f === 'object' && !Array.isArray(f) ? f.t : f;

/** The schema's fields of a kind's top level, or undefined when kube-sim cannot tell. */
function topFields(r: ResourceInfo): Record<string, FieldType> | undefined {
  if (r.crd !== undefined) return undefined;
  const top: Record<string, FieldType> = { apiVersion: 's', kind: 's', metadata: 'ObjectMeta' };
  const status = r.subresources.some((s) => s.name === 'status');
  if (SPECS[r.kind] !== undefined) {
    top['spec'] = r.kind === 'Pod' ? 'PodSpec' : `${r.kind}Spec`;
    if (status) top['status'] = 'o';
    return top;
  }
  if (COMPLETE_TOP.has(r.kind)) return { ...top, ...TOP_FIELDS[r.kind] };
  return undefined;
}

function typeDef(name: string): TypeDef | undefined {
  if (COMPLETE_TYPES.has(name)) return TYPES[name];
  if (name.endsWith('Spec')) {
    const kind = name.slice(0, -'Spec'.length);
    if (kind !== 'Pod' && kind !== 'PodTemplate') return SPECS[kind];
  }
  return undefined;
}

/** The fields of `object` that the kind's schema does not declare, in document order. */
export function unknownFields(r: ResourceInfo, object: unknown): UnknownField[] {
  const top = topFields(r);
  if (top === undefined || !isObject(object)) return [];
  const found: UnknownField[] = [];
  const walkObject = (
    o: Record<string, unknown>,
    fields: Record<string, Field | FieldType>,
    at: Step[],
  ) => {
    for (const [name, value] of Object.entries(o)) {
      const steps = [...at, name];
      const declared = fields[name];
      if (declared === undefined) {
        found.push({
          path: strictPath(steps),
          applyPath: applyPath(steps),
          drop: () => Reflect.deleteProperty(o, name),
        });
        continue;
      }
      walkValue(value, fieldType(declared), steps);
    }
  };
  const walkValue = (value: unknown, t: FieldType, at: Step[]) => {
    if (Array.isArray(t)) {
      const [item, key] = t;
      const def = typeDef(item);
      if (def === undefined || !Array.isArray(value)) return;
      value.forEach((element, index) => {
        if (!isObject(element)) return;
        const step: Step = key === undefined ? { index } : { index, key: [key, element[key]] };
        walkObject(element, def.f, [...at, step]);
      });
      return;
    }
    const def = typeDef(t);
    if (def !== undefined && isObject(value)) walkObject(value, def.f, at);
  };
  walkObject(object, top, []);
  return found;
}

/** `fieldValidation` of a request: '' and absent are upstream's default, Warn. */
export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

export function fieldValidationOf(value: string | null): FieldValidation | undefined {
  if (value === null || value === '' || value === 'Warn') return 'Warn';
  if (value === 'Ignore' || value === 'Strict') return value;
  return undefined;
}
