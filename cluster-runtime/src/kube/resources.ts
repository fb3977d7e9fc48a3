/**
 * The API resources Nodeless talks to, with their REST paths. A fixed table instead of
 * discovery: these are all stable built-in kinds, and skipping discovery saves a round trip per
 * call (and works the same against every conformant API server).
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-uris
 */

export interface ResourceType {
  /** `v1` for the core group, `group/version` otherwise. */
  apiVersion: string;
  kind: string;
  /** The URL segment (lower-case plural). */
  plural: string;
  namespaced: boolean;
}

const type = (
  apiVersion: string,
  kind: string,
  plural: string,
  namespaced: boolean,
): ResourceType => ({ apiVersion, kind, plural, namespaced });

export const RESOURCES = {
  namespaces: type('v1', 'Namespace', 'namespaces', false),
  nodes: type('v1', 'Node', 'nodes', false),
  pods: type('v1', 'Pod', 'pods', true),
  events: type('v1', 'Event', 'events', true),
  configMaps: type('v1', 'ConfigMap', 'configmaps', true),
  serviceAccounts: type('v1', 'ServiceAccount', 'serviceaccounts', true),
  runtimeClasses: type('node.k8s.io/v1', 'RuntimeClass', 'runtimeclasses', false),
  roles: type('rbac.authorization.k8s.io/v1', 'Role', 'roles', true),
  roleBindings: type('rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings', true),
} as const satisfies Record<string, ResourceType>;

/** The resource type of an object by its apiVersion and kind, from the table above. */
export function resourceTypeOf(apiVersion: string, kind: string): ResourceType {
  const found = Object.values(RESOURCES).find(
    (r) => r.apiVersion === apiVersion && r.kind === kind,
  );
  if (!found) throw new Error(`cluster-runtime does not know the resource ${apiVersion} ${kind}`);
  return found;
}

/**
 * `/api/v1/namespaces/ns/pods/name/log` style paths. A namespace is required for namespaced
 * resources unless listing across all namespaces (name undefined).
 */
export function resourcePath(
  t: ResourceType,
  options: { namespace?: string | undefined; name?: string; subresource?: string } = {},
): string {
  const base = t.apiVersion.includes('/') ? `/apis/${t.apiVersion}` : `/api/${t.apiVersion}`;
  const { namespace, name, subresource } = options;
  if (t.namespaced && namespace === undefined && name !== undefined)
    throw new Error(`${t.kind} ${name}: a namespace is required`);
  const ns = t.namespaced && namespace !== undefined ? `/namespaces/${enc(namespace)}` : '';
  const named = name === undefined ? '' : `/${enc(name)}`;
  const sub = subresource === undefined || name === undefined ? '' : `/${subresource}`;
  return `${base}${ns}/${t.plural}${named}${sub}`;
}

const enc = (s: string): string => encodeURIComponent(s);
