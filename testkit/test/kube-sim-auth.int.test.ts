/**
 * Authentication, RBAC and error handling through the real kubectl and raw HTTPS, on both
 * substrates (kube-sim and the real control plane): bad tokens → 401; RBAC-forbidden → 403
 * naming user, verb and resource; service-account tokens (TokenRequest and legacy Secret) and
 * client certificates authenticate; malformed bodies get 400/422 Status answers and the server
 * keeps serving.
 */
import { describe, expect, it } from 'vitest';
import { waitFor, type KubectlResult } from './kube-sim-helpers.ts';
import { SUBSTRATES, useSubstrate } from './kube-sim-substrates.ts';

describe.each(SUBSTRATES)('%s: authentication, authorization and bad input', (_name, start) => {
  const env = useSubstrate(start, { nodes: 1, kubeSim: { sim: false } });
  const h = {
    kubectl: (args: string[], input?: string) => env.current.kubectl(args, input),
  };
  const raw = (
    method: string,
    path: string,
    body: string | undefined,
    headers: Record<string, string> = {},
    options: { anonymous?: boolean } = {},
  ) =>
    env.current.raw(
      method,
      path,
      body,
      { 'Content-Type': 'application/json', ...headers },
      options,
    );
  const asUser = async (
    name: string,
    creds: { token: string } | { certPem: string; keyPem: string },
  ): Promise<(args: string[]) => Promise<KubectlResult>> => {
    const file = await env.current.kubeconfigFor(`${name}.kubeconfig`, creds);
    return (args) => env.current.kubectl(['--kubeconfig', file, ...args]);
  };

  it('answers 401 Unauthorized to a wrong token', async () => {
    const kubectl = await asUser('bogus', { token: 'not-a-valid-token' });
    const r = await kubectl(['get', 'pods']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      'error: You must be logged in to the server (the server has asked for the client to provide credentials)',
    );
    const res = await raw(
      'GET',
      '/api/v1/namespaces/default/pods',
      undefined,
      { Authorization: 'Bearer nope' },
      { anonymous: true },
    );
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
    // Authenticators are a union tried in order, the client certificate before bearer tokens:
    // a valid certificate wins over a bad token.
    const both = await raw('GET', '/api/v1/namespaces/default/pods', undefined, {
      Authorization: 'Bearer nope',
    });
    expect(both.status).toBe(200);
  });

  it('evaluates RBAC for a service account token: 403 until a Role grants access', async () => {
    const apply = await h.kubectl(
      ['apply', '-f', '-'],
      'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: viewer}\n',
    );
    expect(apply.code).toBe(0);
    const token = await waitFor('the viewer service account', async () => {
      const r = await h.kubectl(['create', 'token', 'viewer', '--duration=10m']);
      return r.code === 0 ? r.stdout.trim() : undefined;
    });
    const kubectl = await asUser('viewer', { token });
    const denied = await kubectl(['get', 'pods']);
    expect(denied.stderr).toContain(
      'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:default:viewer" cannot list resource "pods" in API group "" in the namespace "default"',
    );
    const rbac = [
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: Role',
      'metadata: {name: pod-reader}',
      'rules: [{apiGroups: [""], resources: [pods], verbs: [get, list, watch]}]',
      '---',
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: RoleBinding',
      'metadata: {name: viewer-reads-pods}',
      'subjects: [{kind: ServiceAccount, name: viewer, namespace: default}]',
      'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}',
    ].join('\n');
    expect((await h.kubectl(['apply', '-f', '-'], rbac)).code).toBe(0);
    const allowed = await kubectl(['get', 'pods']);
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toContain('No resources found in default namespace.');
    const secrets = await kubectl(['get', 'secrets']);
    expect(secrets.stderr).toContain(
      'cannot list resource "secrets" in API group "" in the namespace "default"',
    );
    const other = await kubectl(['get', 'pods', '-n', 'kube-system']);
    expect(other.stderr).toContain('in the namespace "kube-system"');
  });

  it('accepts legacy service-account token Secrets and client certificates with groups', async () => {
    const secret =
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: viewer-token\n  annotations: {kubernetes.io/service-account.name: viewer}\ntype: kubernetes.io/service-account-token\n';
    expect((await h.kubectl(['apply', '-f', '-'], secret)).code).toBe(0);
    const token = await waitFor('token controller', async () => {
      const r = await h.kubectl(['get', 'secret', 'viewer-token', '-o', 'jsonpath={.data.token}']);
      return r.stdout === '' ? undefined : Buffer.from(r.stdout, 'base64').toString('utf8');
    });
    const legacy = await asUser('legacy', { token });
    expect((await legacy(['get', 'pods'])).code).toBe(0);

    const cert = env.current.issueClientCert('dana', ['developers']);
    const dana = await asUser('dana', cert);
    expect((await dana(['get', 'configmaps'])).stderr).toContain(
      'User "dana" cannot list resource "configmaps"',
    );
    const binding = [
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: ClusterRole',
      'metadata: {name: cm-reader}',
      'rules: [{apiGroups: [""], resources: [configmaps], verbs: [list]}]',
      '---',
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: ClusterRoleBinding',
      'metadata: {name: developers-read-cms}',
      'subjects: [{kind: Group, name: developers, apiGroup: rbac.authorization.k8s.io}]',
      'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cm-reader}',
    ].join('\n');
    expect((await h.kubectl(['apply', '-f', '-'], binding)).code).toBe(0);
    const listed = await dana(['get', 'configmaps', '-A', '-o', 'name']);
    expect(listed.code).toBe(0);
  });

  it('answers malformed bodies with 400/422 Status objects and keeps serving', async () => {
    const garbage = await raw(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      '{"kind": "ConfigMap", oops',
    );
    expect(garbage.status).toBe(400);
    expect(JSON.parse(garbage.body)).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'BadRequest',
      code: 400,
    });
    const noContainers = await raw(
      'POST',
      '/api/v1/namespaces/default/pods',
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'empty' },
        spec: { containers: [] },
      }),
    );
    expect(noContainers.status).toBe(422);
    expect(JSON.parse(noContainers.body)).toMatchObject({
      reason: 'Invalid',
      message: 'Pod "empty" is invalid: spec.containers: Required value',
    });
    const badName = await raw(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      JSON.stringify({ metadata: { name: 'Bad_Name' } }),
    );
    expect(badName.status).toBe(422);
    const wrongPatch = await raw('PATCH', '/api/v1/namespaces/default/configmaps/none', '{}', {
      'Content-Type': 'text/plain',
    });
    expect(wrongPatch.status).toBe(415);
    const kubectlInvalid = await h.kubectl(
      ['apply', '-f', '-'],
      'apiVersion: v1\nkind: Pod\nmetadata: {name: nocontainers}\nspec: {containers: []}\n',
    );
    expect(kubectlInvalid.stderr).toContain('spec.containers: Required value');
    const health = await raw('GET', '/readyz', undefined);
    expect(health).toMatchObject({ status: 200, body: 'ok' });
    expect((await h.kubectl(['get', 'namespaces', '-o', 'name'])).stdout).toContain(
      'namespace/default',
    );
  });
});
