/**
 * OpenAPI v3 documents generated from the registry and the compact schema description in
 * `schemas.ts`: `/openapi/v3` (the index kubectl reads first) and `/openapi/v3/<api path>` per
 * group-version, with `x-kubernetes-group-version-kind` on schemas and operations, patch-merge
 * extensions on lists, and the `fieldValidation` parameter on PATCH paths — so kubectl validates
 * server-side instead of downloading `/openapi/v2` (which kube-sim does not serve). Custom
 * resources use their CRD's `openAPIV3Schema` when given.
 *
 * @see https://kubernetes.io/docs/concepts/overview/kubernetes-api/#openapi-v3
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/util/openapi/ (query param verifier)
 */
import { createHash } from 'node:crypto';
import type { ResourceRegistry } from '../registry/registry.ts';
import type { ResourceInfo } from '../registry/resources.ts';
import { SPECS, TOP_FIELDS } from './kind-schemas.ts';
import { TYPES, type Field, type FieldType } from './schemas.ts';

type Schema = Record<string, unknown>;
/** kube-sim's version (index.ts SIM_VERSION; not imported, to keep this module free of the server). */
const SIM_OPENAPI_VERSION = 'v1.36.3-sim';

const META = new Set(['ObjectMeta', 'OwnerReference', 'LabelSelector']);

function typeName(short: string): string {
  return META.has(short)
    ? `io.k8s.apimachinery.pkg.apis.meta.v1.${short}`
    : `io.k8s.api.core.v1.${short}`;
}

function groupPrefix(group: string, version: string): string {
  if (group === '') return `io.k8s.api.core.${version}`;
  if (group.endsWith('.k8s.io'))
    return `io.k8s.api.${group.slice(0, -'.k8s.io'.length).split('.')[0] ?? group}.${version}`;
  if (!group.includes('.')) return `io.k8s.api.${group}.${version}`;
  return `${group.split('.').reverse().join('.')}.${version}`;
}

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

function fieldSchema(field: Field | FieldType): Schema {
  const f: Field = typeof field === 'object' && !Array.isArray(field) ? field : { t: field, d: '' };
  const d = f.d === '' ? {} : { description: f.d };
  const t = f.t;
  if (Array.isArray(t)) {
    const [item, key] = t;
    const items =
      item === 'o'
        ? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }
        : { allOf: [ref(typeName(item))], default: {} };
    return {
      type: 'array',
      items,
      ...d,
      ...(key === undefined
        ? { 'x-kubernetes-list-type': 'atomic' }
        : {
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': [key],
            'x-kubernetes-patch-merge-key': key,
            'x-kubernetes-patch-strategy': 'merge',
          }),
    };
  }
  switch (t) {
    case 's':
      return { type: 'string', ...d };
    case 'i':
      return { type: 'integer', format: 'int32', ...d };
    case 'b':
      return { type: 'boolean', ...d };
    case 'q':
      return { type: 'string', format: 'int-or-string', 'x-kubernetes-int-or-string': true, ...d };
    case 'm':
      return { type: 'object', additionalProperties: { type: 'string', default: '' }, ...d };
    case 'o':
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, ...d };
    case '[s]':
      return {
        type: 'array',
        items: { type: 'string', default: '' },
        'x-kubernetes-list-type': 'atomic',
        ...d,
      };
    default:
      return { allOf: [ref(typeName(t))], default: {}, ...d };
  }
}

function objectSchema(
  description: string,
  fields: Record<string, Field | FieldType>,
  required?: string[],
  extra: Schema = {},
): Schema {
  const properties: Schema = {};
  for (const [k, v] of Object.entries(fields)) properties[k] = fieldSchema(v);
  return {
    type: 'object',
    description,
    properties,
    ...(required === undefined ? {} : { required }),
    ...extra,
  };
}

function sharedSchemas(): Schema {
  const out: Schema = {};
  for (const [name, def] of Object.entries(TYPES))
    out[typeName(name)] = objectSchema(def.d, def.f, def.required);
  return out;
}

function kindSchema(
  r: ResourceInfo,
  version: string,
  prefix: string,
  out: Schema,
  crdSchema: Schema | undefined,
): void {
  const gvk = { 'x-kubernetes-group-version-kind': [{ group: r.group, kind: r.kind, version }] };
  if (crdSchema !== undefined) {
    out[`${prefix}.${r.kind}`] = { ...crdSchema, ...gvk };
    return;
  }
  const fields: Record<string, Field | FieldType> = {
    apiVersion: {
      t: 's',
      d: 'APIVersion defines the versioned schema of this representation of an object.',
    },
    kind: {
      t: 's',
      d: 'Kind is a string value representing the REST resource this object represents.',
    },
    metadata: { t: 'ObjectMeta', d: "Standard object's metadata." },
  };
  const spec = SPECS[r.kind];
  if (r.kind === 'Pod')
    fields['spec'] = { t: 'PodSpec', d: 'Specification of the desired behavior of the pod.' };
  else if (spec !== undefined) {
    out[`${prefix}.${r.kind}Spec`] = objectSchema(spec.d, spec.f, spec.required);
    fields['spec'] = { t: 'o', d: `Specification of the desired behavior of the ${r.kind}.` };
  } else if (TOP_FIELDS[r.kind] === undefined)
    fields['spec'] = { t: 'o', d: `Specification of the ${r.kind}.` };
  for (const [k, v] of Object.entries(TOP_FIELDS[r.kind] ?? {})) fields[k] = v;
  if (r.subresources.some((s) => s.name === 'status'))
    fields['status'] = {
      t: 'o',
      d: `Most recently observed status of the ${r.kind}. Populated by the system. Read-only.`,
    };
  const schema = objectSchema(
    `${r.kind} (kube-sim: documented subset of upstream's schema).`,
    fields,
    undefined,
    gvk,
  );
  if (spec !== undefined && r.kind !== 'Pod') {
    (schema['properties'] as Schema)['spec'] = {
      allOf: [ref(`${prefix}.${r.kind}Spec`)],
      default: {},
      description: `Specification of the desired behavior of the ${r.kind}.`,
    };
  }
  out[`${prefix}.${r.kind}`] = schema;
}

const PATCH_TYPES = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
];
/**
 * Kinds whose schema is described deeply enough for kubectl to compute strategic merge patches
 * from it; for the others the PATCH operation does not advertise strategic merge, so kubectl
 * falls back to its compiled-in types (same result, no "unable to find api field" warning).
 */
const SMP_FROM_SCHEMA = new Set([
  'Pod',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'Service',
  'ConfigMap',
  'Secret',
]);

function param(name: string, where: 'path' | 'query'): Schema {
  return {
    name,
    in: where,
    ...(where === 'path' ? { required: true } : {}),
    schema: { type: 'string', uniqueItems: true },
  };
}

function paths(r: ResourceInfo, version: string, prefix: string): Schema {
  const base = r.group === '' ? `/api/${version}` : `/apis/${r.group}/${version}`;
  const nsPart = r.namespaced ? '/namespaces/{namespace}' : '';
  const gvk = { group: r.group, version, kind: r.kind };
  const body = { content: { 'application/json': { schema: ref(`${prefix}.${r.kind}`) } } };
  const ok = { responses: { '200': { description: 'OK', ...body } } };
  const op = (action: string, extra: Schema = {}): Schema => ({
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    ...ok,
    ...extra,
  });
  const common = r.namespaced ? [param('namespace', 'path')] : [];
  // Upstream lists dryRun/fieldManager/fieldValidation on the operations; kubectl's
  // query-param verifier reads them from the PATCH operation.
  const opParams = {
    parameters: [
      param('dryRun', 'query'),
      param('fieldManager', 'query'),
      param('fieldValidation', 'query'),
    ],
  };
  const patchBody = {
    ...opParams,
    parameters: [...opParams.parameters, param('force', 'query')],
    requestBody: {
      required: true,
      content: Object.fromEntries(
        [
          ...PATCH_TYPES,
          ...(SMP_FROM_SCHEMA.has(r.kind) && r.crd === undefined
            ? ['application/strategic-merge-patch+json']
            : []),
        ].map((t) => [t, { schema: { type: 'object' } }]),
      ),
    },
  };
  return {
    [`${base}${nsPart}/${r.resource}`]: {
      parameters: common,
      get: op('list'),
      post: op('post', { ...opParams, requestBody: body }),
    },
    [`${base}${nsPart}/${r.resource}/{name}`]: {
      parameters: [param('name', 'path'), ...common],
      get: op('get'),
      put: op('put', { ...opParams, requestBody: body }),
      patch: op('patch', patchBody),
      delete: op('delete'),
    },
  };
}

interface CrdVersionSchema {
  name?: string;
  schema?: { openAPIV3Schema?: Schema };
}

/** Builds the OpenAPI v3 document of one group-version. */
export function groupVersionDoc(
  registry: ResourceRegistry,
  group: string,
  version: string,
  crdSchemas: (crd: string) => CrdVersionSchema[],
): Schema {
  const prefix = groupPrefix(group, version);
  const schemas: Schema = sharedSchemas();
  let allPaths: Schema = {};
  for (const r of registry.inGroupVersion(group, version)) {
    const crdSchema =
      r.crd === undefined
        ? undefined
        : crdSchemas(r.crd).find((v) => v.name === version)?.schema?.openAPIV3Schema;
    kindSchema(r, version, prefix, schemas, crdSchema);
    allPaths = { ...allPaths, ...paths(r, version, prefix) };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes (kube-sim)', version: SIM_OPENAPI_VERSION },
    paths: allPaths,
    components: { schemas },
  };
}

/** Serves `/openapi/v3` and `/openapi/v3/<api path>`; undefined for anything else (→ 404). */
export function openApiResponse(
  registry: ResourceRegistry,
  path: string,
  _url: URL,
  crdSchemas: (crd: string) => CrdVersionSchema[] = () => [],
): string | undefined {
  const gvs: Array<{ key: string; group: string; version: string }> = [];
  for (const g of registry.groups())
    for (const v of g.versions)
      gvs.push({
        key: g.name === '' ? `api/${v}` : `apis/${g.name}/${v}`,
        group: g.name,
        version: v,
      });
  if (path === '/openapi/v3') {
    const index: Schema = {};
    for (const gv of gvs) {
      const doc = JSON.stringify(groupVersionDoc(registry, gv.group, gv.version, crdSchemas));
      const hash = createHash('sha512').update(doc).digest('hex').slice(0, 32).toUpperCase();
      index[gv.key] = { serverRelativeURL: `/openapi/v3/${gv.key}?hash=${hash}` };
    }
    return JSON.stringify({ paths: index });
  }
  const key = path.slice('/openapi/v3/'.length);
  const gv = gvs.find((x) => x.key === key);
  return gv === undefined
    ? undefined
    : JSON.stringify(groupVersionDoc(registry, gv.group, gv.version, crdSchemas));
}
