/**
 * Minimal read-only Kubernetes API access from the desktop for readiness waits: `/readyz` and
 * Node status, authenticated with the admin client certificate of k3s's `k3s.yaml` and the
 * cluster CA in it, against `https://<reachable server address>:6443` (k3s puts every host
 * address and each `tls-san` into the serving certificate). Full API work lives in
 * cluster-runtime; this only needs GET.
 *
 * @see https://kubernetes.io/docs/reference/using-api/health-checks/ — /readyz
 * @see https://kubernetes.io/docs/reference/node/node-status/#condition — Ready, runtimeHandlers
 * @see https://docs.k3s.io/cluster-access
 */
import { request } from 'node:https';
import { parse } from 'yaml';
import { z } from 'zod';

const k3sYamlSchema = z.looseObject({
  clusters: z
    .array(
      z.looseObject({
        cluster: z.looseObject({ 'certificate-authority-data': z.string() }),
      }),
    )
    .min(1),
  users: z
    .array(
      z.looseObject({
        user: z.looseObject({
          'client-certificate-data': z.string(),
          'client-key-data': z.string(),
        }),
      }),
    )
    .min(1),
});

/** A GET-only API client. */
export interface KubeReader {
  get(path: string, timeoutMs?: number): Promise<{ status: number; body: string }>;
}

/** Builds a reader from the content of k3s.yaml (a secret: kept in memory only). */
export function kubeReader(k3sYaml: string, address: string, port = 6443): KubeReader {
  const cfg = k3sYamlSchema.parse(parse(k3sYaml));
  const b64 = (s: string) => Buffer.from(s, 'base64');
  const ca = b64(cfg.clusters[0]?.cluster['certificate-authority-data'] ?? '');
  const user = cfg.users[0]?.user;
  const cert = b64(user?.['client-certificate-data'] ?? '');
  const key = b64(user?.['client-key-data'] ?? '');
  return {
    get: (path, timeoutMs = 5_000) =>
      new Promise((resolve, reject) => {
        const req = request(
          // agent: false — no pooled sockets: they go stale when k3s restarts under us.
          {
            host: address,
            port,
            path,
            method: 'GET',
            ca,
            cert,
            key,
            timeout: timeoutMs,
            agent: false,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                body: Buffer.concat(chunks).toString('utf8'),
              }),
            );
            res.on('error', reject);
          },
        );
        req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
        req.on('error', reject);
        req.end();
      }),
  };
}

const nodeSchema = z.looseObject({
  metadata: z.looseObject({
    name: z.string(),
    labels: z.record(z.string(), z.string()).optional(),
  }),
  status: z
    .looseObject({
      conditions: z.array(z.looseObject({ type: z.string(), status: z.string() })).optional(),
      runtimeHandlers: z.array(z.looseObject({ name: z.string() })).optional(),
    })
    .optional(),
});

export interface NodeView {
  readonly name: string;
  readonly ready: boolean;
  readonly labels: Record<string, string>;
  readonly runtimeHandlers: string[];
}

/** The Node named `name`, or undefined when it is not registered (or the API is down). */
export async function readNode(api: KubeReader, name: string): Promise<NodeView | undefined> {
  try {
    const r = await api.get(`/api/v1/nodes/${encodeURIComponent(name)}`);
    if (r.status !== 200) return undefined;
    const n = nodeSchema.parse(JSON.parse(r.body));
    return {
      name: n.metadata.name,
      ready: n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
      labels: n.metadata.labels ?? {},
      runtimeHandlers: (n.status?.runtimeHandlers ?? []).map((h) => h.name),
    };
  } catch {
    return undefined;
  }
}

/** True when `/readyz` answers 200. */
export async function apiReady(api: KubeReader): Promise<boolean> {
  try {
    return (await api.get('/readyz')).status === 200;
  } catch {
    return false;
  }
}
