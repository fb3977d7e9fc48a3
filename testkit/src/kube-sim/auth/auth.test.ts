import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { KubeObject, ResourceKey } from '../store/types.ts';
import { ANONYMOUS, Authenticator } from './authn.ts';
import { forbiddenMessage, RbacAuthorizer } from './rbac.ts';

const reqWith = (authorization?: string): IncomingMessage =>
  ({
    headers: authorization === undefined ? {} : { authorization },
    socket: { authorized: false },
  }) as unknown as IncomingMessage;

describe('Authenticator', () => {
  const sas = new Map([['ns/robot', 'uid-1']]);
  const authn = new Authenticator(
    { serviceAccountUid: (ns, n) => sas.get(`${ns}/${n}`), secretHoldsToken: () => true },
    () => 1_000,
    'admin-token',
  );

  it('maps the admin token to system:masters and rejects unknown tokens', () => {
    expect(authn.authenticate(reqWith('Bearer admin-token'))?.groups).toContain('system:masters');
    expect(authn.authenticate(reqWith('Bearer nope'))).toBeUndefined();
    expect(authn.authenticate(reqWith())).toBe(ANONYMOUS);
  });

  it('accepts its own service-account tokens until they expire or the account is recreated', () => {
    const token = authn.issueServiceAccountToken({
      namespace: 'ns',
      name: 'robot',
      uid: 'uid-1',
      exp: 2_000,
    });
    expect(authn.authenticate(reqWith(`Bearer ${token}`))).toEqual({
      name: 'system:serviceaccount:ns:robot',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:ns', 'system:authenticated'],
      uid: 'uid-1',
    });
    const expired = authn.issueServiceAccountToken({
      namespace: 'ns',
      name: 'robot',
      uid: 'uid-1',
      exp: 999,
    });
    expect(authn.authenticate(reqWith(`Bearer ${expired}`))).toBeUndefined();
    sas.set('ns/robot', 'uid-2');
    expect(authn.authenticate(reqWith(`Bearer ${token}`))).toBeUndefined();
    const forged = `${token.slice(0, token.lastIndexOf('.'))}.AAAA`;
    expect(authn.authenticate(reqWith(`Bearer ${forged}`))).toBeUndefined();
  });
});

describe('RbacAuthorizer', () => {
  const objects: Record<string, KubeObject[]> = {
    roles: [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'logs', namespace: 'app' },
        rules: [
          { apiGroups: [''], resources: ['pods/log'], verbs: ['get'], resourceNames: ['web-1'] },
        ],
      },
    ],
    rolebindings: [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'b', namespace: 'app' },
        subjects: [{ kind: 'User', name: 'ann' }],
        roleRef: { kind: 'Role', name: 'logs' },
      },
    ],
    clusterroles: [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'metrics' },
        rules: [{ nonResourceURLs: ['/metrics*'], verbs: ['get'] }],
      },
    ],
    clusterrolebindings: [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'm' },
        subjects: [{ kind: 'Group', name: 'ops' }],
        roleRef: { kind: 'ClusterRole', name: 'metrics' },
      },
    ],
  };
  const authz = new RbacAuthorizer({
    list: (r: ResourceKey, ns?: string) =>
      (objects[r.resource] ?? []).filter((o) => ns === undefined || o.metadata.namespace === ns),
    get: (r: ResourceKey, ns: string | undefined, name: string) =>
      (objects[r.resource] ?? []).find(
        (o) => o.metadata.name === name && o.metadata.namespace === ns,
      ),
  });
  const ann = { name: 'ann', groups: ['ops', 'system:authenticated'] };

  it('matches subresources, resource names, namespaces and non-resource URLs', () => {
    expect(
      authz.allowed(ann, {
        verb: 'get',
        apiGroup: '',
        resource: 'pods',
        subresource: 'log',
        name: 'web-1',
        namespace: 'app',
      }),
    ).toBe(true);
    expect(
      authz.allowed(ann, {
        verb: 'get',
        apiGroup: '',
        resource: 'pods',
        subresource: 'log',
        name: 'web-2',
        namespace: 'app',
      }),
    ).toBe(false);
    expect(
      authz.allowed(ann, {
        verb: 'get',
        apiGroup: '',
        resource: 'pods',
        name: 'web-1',
        namespace: 'app',
      }),
    ).toBe(false);
    expect(
      authz.allowed(ann, {
        verb: 'get',
        apiGroup: '',
        resource: 'pods',
        subresource: 'log',
        name: 'web-1',
        namespace: 'other',
      }),
    ).toBe(false);
    expect(authz.allowed(ann, { verb: 'get', path: '/metrics/cadvisor' })).toBe(true);
    expect(
      authz.allowed(
        { name: 'x', groups: ['system:masters'] },
        { verb: 'delete', apiGroup: 'apps', resource: 'deployments' },
      ),
    ).toBe(true);
  });

  it('words denials like upstream', () => {
    expect(
      forbiddenMessage(ann, { verb: 'list', apiGroup: '', resource: 'pods', namespace: 'default' }),
    ).toBe(
      'pods is forbidden: User "ann" cannot list resource "pods" in API group "" in the namespace "default"',
    );
    expect(
      forbiddenMessage(ann, {
        verb: 'get',
        apiGroup: 'apps',
        resource: 'deployments',
        name: 'web',
      }),
    ).toBe(
      'deployments.apps "web" is forbidden: User "ann" cannot get resource "deployments" in API group "apps" at the cluster scope',
    );
  });
});
