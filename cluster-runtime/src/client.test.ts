/**
 * The client's own behaviour against a scripted loopback API server: what it sends (apply
 * content type and field manager, delete preconditions), how answers become results or
 * errors, discovery's choice of resource, and that timeouts and aborts end a request that
 * never gets an answer. Kubernetes semantics are tested against the real control plane
 * (test/kube-client.int.test.ts).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKubeClient,
  FIELD_MANAGER,
  KubeApiError,
  RESOURCES,
  UnknownResourceError,
} from './client.ts';

interface Seen {
  method: string;
  url: string;
  contentType: string | undefined;
  body: string;
}

const seen: Seen[] = [];
let server: http.Server;
let base: string;

const RESOURCE_LIST = {
  kind: 'APIResourceList',
  groupVersion: 'v1',
  resources: [
    // Subresources share the kind; discovery must take the resource itself.
    { name: 'pods/log', kind: 'Pod', namespaced: true, verbs: ['get'] },
    { name: 'pods', kind: 'Pod', namespaced: true, verbs: ['get', 'list'] },
    { name: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: ['get', 'create'] },
    { name: 'nodes', kind: 'Node', namespaced: false, verbs: ['get'] },
  ],
};

const status = (code: number, reason: string, message: string) =>
  JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });

function answer(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  seen.push({
    method: req.method ?? '',
    url: req.url ?? '',
    contentType: req.headers['content-type'],
    body,
  });
  const send = (code: number, text: string, type = 'application/json') => {
    res.writeHead(code, { 'Content-Type': type });
    res.end(text);
  };
  const path = url.pathname;
  if (path === '/readyz') return send(200, 'ok', 'text/plain');
  if (path === '/api/v1') return send(200, JSON.stringify(RESOURCE_LIST));
  if (path === '/apis/forbidden.example/v1')
    return send(
      403,
      status(
        403,
        'Forbidden',
        'forbidden: User "tenant" cannot get path "/apis/forbidden.example/v1"',
      ),
    );
  if (path.startsWith('/apis/'))
    return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
  if (path.endsWith('/configmaps/hang')) return; // never answers
  if (path.endsWith('/configmaps/proxy')) return send(502, '<html>Bad Gateway</html>', 'text/html');
  if (path.endsWith('/configmaps/missing'))
    return send(404, status(404, 'NotFound', 'configmaps "missing" not found'));
  if (req.method === 'POST')
    return send(409, status(409, 'AlreadyExists', 'configmaps "x" already exists'));
  if (req.method === 'DELETE' && path.endsWith('/gone'))
    return send(404, status(404, 'NotFound', 'configmaps "gone" not found'));
  if (path.endsWith('/log')) return send(200, 'line 1\nline 2\n', 'text/plain');
  return send(200, body || JSON.stringify({ kind: 'Status', status: 'Success' }));
}

const kubeconfig = (server: string) => `
apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "${server}", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: secret-token}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => answer(req, body, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('createKubeClient', () => {
  it('server-side applies with the apply content type, field manager nodeless and force', async () => {
    const client = createKubeClient(kubeconfig(base));
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns' } };
    expect(await client.apply(cm)).toEqual(cm);
    const sent = seen.at(-1);
    expect(sent?.method).toBe('PATCH');
    expect(sent?.url).toBe(
      `/api/v1/namespaces/ns/configmaps/a?fieldManager=${FIELD_MANAGER}&force=true`,
    );
    expect(sent?.contentType).toBe('application/apply-patch+yaml');
    expect(JSON.parse(sent?.body ?? '')).toEqual(cm);
  });

  it('finds a kind by discovery, skipping subresources that share its kind', async () => {
    const client = createKubeClient(kubeconfig(base));
    expect(await client.resource(RESOURCES.pods)).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      plural: 'pods',
      namespaced: true,
    });
    expect(await client.readLog('ns', 'p', 'c')).toBe('line 1\nline 2\n');
    expect(seen.at(-1)?.url).toBe('/api/v1/namespaces/ns/pods/p/log?container=c');
    await expect(client.get(RESOURCES.services, 's', 'ns')).rejects.toThrow(
      new UnknownResourceError('the API server does not serve Service in v1'),
    );
    await expect(client.get(RESOURCES.deployments, 'd', 'ns')).rejects.toThrow(
      new UnknownResourceError('the API server does not serve apps/v1'),
    );
    const refused = await client
      .get({ apiVersion: 'forbidden.example/v1', kind: 'Thing' }, 't', 'ns')
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(KubeApiError);
    expect((refused as Error).message).toBe(
      'GET /apis/forbidden.example/v1: 403 Forbidden: forbidden: User "tenant" cannot get path "/apis/forbidden.example/v1"',
    );
  });

  it('turns answers into results and KubeApiErrors that name what failed', async () => {
    const client = createKubeClient(kubeconfig(base));
    expect(await client.get(RESOURCES.configMaps, 'missing', 'ns')).toBeUndefined();
    const conflict = await client
      .create(RESOURCES.configMaps, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'x', namespace: 'ns' },
      })
      .catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(KubeApiError);
    expect(conflict).toMatchObject({ code: 409, reason: 'AlreadyExists' });
    expect((conflict as Error).message).toBe(
      'POST /api/v1/namespaces/ns/configmaps: 409 AlreadyExists: configmaps "x" already exists',
    );
    await expect(client.get(RESOURCES.configMaps, 'proxy', 'ns')).rejects.toThrow(
      'GET /api/v1/namespaces/ns/configmaps/proxy: 502: <html>Bad Gateway</html>',
    );
  });

  it('deletes with preconditions and says false when the object was already gone', async () => {
    const client = createKubeClient(kubeconfig(base));
    expect(
      await client.delete(RESOURCES.configMaps, 'c', 'ns', {
        uid: 'u-1',
        resourceVersion: '42',
        propagationPolicy: 'Foreground',
        gracePeriodSeconds: 0,
      }),
    ).toBe(true);
    expect(JSON.parse(seen.at(-1)?.body ?? '')).toEqual({
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      gracePeriodSeconds: 0,
      propagationPolicy: 'Foreground',
      preconditions: { uid: 'u-1', resourceVersion: '42' },
    });
    expect(await client.delete(RESOURCES.configMaps, 'gone', 'ns')).toBe(false);
  });

  it('ends a request that gets no answer: per-client timeout, and abort', async () => {
    const quick = createKubeClient(kubeconfig(base), { timeoutMs: 300 });
    const started = Date.now();
    await expect(quick.get(RESOURCES.configMaps, 'hang', 'ns')).rejects.toThrow(/timeout/);
    expect(Date.now() - started).toBeLessThan(5_000);
    const client = createKubeClient(kubeconfig(base));
    const c = new AbortController();
    setTimeout(() => c.abort(), 100);
    await expect(client.get(RESOURCES.configMaps, 'hang', 'ns', c.signal)).rejects.toThrow(
      /abort/i,
    );
  });

  it('reports readiness, and false for a server that is not there', async () => {
    expect(await createKubeClient(kubeconfig(base)).readyz()).toBe(true);
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect(await createKubeClient(kubeconfig(`http://127.0.0.1:${port}`)).readyz()).toBe(false);
  });
});
