/**
 * RBAC evaluation over Role/ClusterRole + RoleBinding/ClusterRoleBinding objects in the store,
 * with upstream's messages. `system:masters` bypasses; a few bootstrap grants (discovery, health,
 * version) stand in for upstream's default ClusterRoles.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/
 * @see https://github.com/kubernetes/kubernetes/blob/master/plugin/pkg/auth/authorizer/rbac/rbac.go
 */
import type { KubeObject, ResourceKey } from '../store/types.ts';
import type { UserInfo } from './authn.ts';

export interface Attributes {
  verb: string;
  /** Resource requests. */
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  namespace?: string;
  /** Non-resource requests. */
  path?: string;
}

interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
}

/** Read access the authorizer needs (the store, in practice). */
export interface RbacSource {
  list(resource: ResourceKey, namespace?: string): readonly KubeObject[];
  get(resource: ResourceKey, namespace: string | undefined, name: string): KubeObject | undefined;
}

const rbac = (resource: string): ResourceKey => ({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  resource,
});

const PUBLIC_PATHS = ['/healthz', '/livez', '/readyz', '/version', '/version/'];
const DISCOVERY_PREFIXES = [
  '/api',
  '/apis',
  '/openapi',
  '/healthz',
  '/livez',
  '/readyz',
  '/version',
];

function matchesSubject(s: Subject, user: UserInfo, bindingNs: string | undefined): boolean {
  switch (s.kind) {
    case 'User':
      return s.name === user.name;
    case 'Group':
      return s.name !== undefined && user.groups.includes(s.name);
    case 'ServiceAccount':
      return (
        user.name === `system:serviceaccount:${s.namespace ?? bindingNs ?? ''}:${s.name ?? ''}`
      );
    default:
      return false;
  }
}

function ruleAllows(rule: PolicyRule, a: Attributes): boolean {
  const verbs = rule.verbs ?? [];
  if (!verbs.includes('*') && !verbs.includes(a.verb)) return false;
  if (a.path !== undefined) {
    return (rule.nonResourceURLs ?? []).some(
      (u) =>
        u === '*' || u === a.path || (u.endsWith('*') && (a.path ?? '').startsWith(u.slice(0, -1))),
    );
  }
  const groups = rule.apiGroups ?? [];
  if (!groups.includes('*') && !groups.includes(a.apiGroup ?? '')) return false;
  const want =
    a.subresource === undefined ? (a.resource ?? '') : `${a.resource ?? ''}/${a.subresource}`;
  const resources = rule.resources ?? [];
  const resOk = resources.some(
    (r) => r === '*' || r === want || (a.subresource !== undefined && r === `*/${a.subresource}`),
  );
  if (!resOk) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (a.name !== undefined && names.includes(a.name));
}

export class RbacAuthorizer {
  constructor(private readonly source: RbacSource) {}

  /** True when `user` may perform `a`. */
  allowed(user: UserInfo, a: Attributes): boolean {
    if (user.groups.includes('system:masters')) return true;
    if (a.path !== undefined) {
      if (a.verb === 'get' && PUBLIC_PATHS.includes(a.path)) return true;
      const authed = user.groups.includes('system:authenticated');
      if (
        authed &&
        a.verb === 'get' &&
        DISCOVERY_PREFIXES.some((p) => a.path === p || (a.path ?? '').startsWith(`${p}/`))
      )
        return true;
    }
    if (
      a.apiGroup === 'authorization.k8s.io' &&
      a.resource?.startsWith('selfsubject') === true &&
      a.verb === 'create'
    )
      return true;
    for (const crb of this.source.list(rbac('clusterrolebindings'))) {
      if (this.bindingAllows(crb, user, a, undefined)) return true;
    }
    if (a.namespace !== undefined && a.path === undefined) {
      for (const rb of this.source.list(rbac('rolebindings'), a.namespace)) {
        if (this.bindingAllows(rb, user, a, a.namespace)) return true;
      }
    }
    return false;
  }

  private bindingAllows(
    binding: KubeObject,
    user: UserInfo,
    a: Attributes,
    ns: string | undefined,
  ): boolean {
    const subjects = (binding['subjects'] ?? []) as Subject[];
    if (!subjects.some((s) => matchesSubject(s, user, ns))) return false;
    const ref = (binding['roleRef'] ?? {}) as { kind?: string; name?: string };
    const role =
      ref.kind === 'ClusterRole'
        ? this.source.get(rbac('clusterroles'), undefined, ref.name ?? '')
        : this.source.get(rbac('roles'), ns, ref.name ?? '');
    const rules = (role?.['rules'] ?? []) as PolicyRule[];
    return rules.some((r) => ruleAllows(r, a));
  }
}

/** Upstream's forbidden message. */
export function forbiddenMessage(user: UserInfo, a: Attributes): string {
  if (a.path !== undefined)
    return `forbidden: User "${user.name}" cannot ${a.verb} path "${a.path}"`;
  const res =
    a.subresource === undefined ? (a.resource ?? '') : `${a.resource ?? ''}/${a.subresource}`;
  const qual =
    a.apiGroup === undefined || a.apiGroup === ''
      ? (a.resource ?? '')
      : `${a.resource ?? ''}.${a.apiGroup}`;
  const subject = a.name === undefined || a.name === '' ? `${qual}` : `${qual} "${a.name}"`;
  const scope =
    a.namespace === undefined ? 'at the cluster scope' : `in the namespace "${a.namespace}"`;
  return `${subject} is forbidden: User "${user.name}" cannot ${a.verb} resource "${res}" in API group "${a.apiGroup ?? ''}" ${scope}`;
}
