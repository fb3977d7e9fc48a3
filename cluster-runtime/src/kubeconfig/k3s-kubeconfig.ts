/**
 * Turns the kubeconfig k3s writes on a server into one the user can use from elsewhere.
 *
 * k3s writes `/etc/rancher/k3s/k3s.yaml` (mode 0600, root) with cluster, user and context all
 * named `default` and `server: https://127.0.0.1:6443`. We rewrite the server to an address
 * the desktop reaches and rename everything after the cluster, so merging it beside other
 * kubeconfigs never collides on `default`.
 *
 * @see https://docs.k3s.io/cluster-access
 */
import { parse, stringify } from 'yaml';
import { z } from 'zod';

const namedCluster = z.object({
  name: z.string(),
  cluster: z.looseObject({ server: z.string() }),
});
const namedUser = z.object({ name: z.string(), user: z.looseObject({}) });
const namedContext = z.object({
  name: z.string(),
  context: z.looseObject({ cluster: z.string(), user: z.string() }),
});
export const kubeconfigSchema = z.looseObject({
  apiVersion: z.literal('v1').optional(),
  kind: z.literal('Config').optional(),
  clusters: z.array(namedCluster).default([]),
  users: z.array(namedUser).default([]),
  contexts: z.array(namedContext).default([]),
  'current-context': z.string().optional(),
});
export type Kubeconfig = z.infer<typeof kubeconfigSchema>;

/** Serialises with a fixed key order, so the same content always yields the same bytes. */
export function emitKubeconfig(config: Kubeconfig): string {
  const {
    apiVersion: _v,
    kind: _k,
    clusters,
    users,
    contexts,
    'current-context': current,
    ...rest
  } = config;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    ...rest,
    clusters,
    users,
    contexts,
    ...(current === undefined ? {} : { 'current-context': current }),
  });
}

export function parseKubeconfig(text: string): Kubeconfig {
  const doc: unknown = parse(text);
  // kubectl writes `clusters: null` (and users, contexts) for an empty list.
  const normalised =
    typeof doc === 'object' && doc !== null && !Array.isArray(doc)
      ? Object.fromEntries(Object.entries(doc).filter(([, v]) => v !== null))
      : doc;
  const result = kubeconfigSchema.safeParse(normalised);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(
      `not a kubeconfig: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return result.data;
}

/**
 * Rewrites a k3s.yaml for use from the desktop: the single cluster/user/context are renamed to
 * `clusterName` (user `<clusterName>-admin`) and the server becomes `server`.
 */
export function rewriteK3sKubeconfig(k3sYaml: string, clusterName: string, server: string): string {
  const config = parseKubeconfig(k3sYaml);
  const [cluster] = config.clusters;
  const [user] = config.users;
  if (!cluster || !user) throw new Error('the k3s kubeconfig has no cluster or no user entry');
  const userName = `${clusterName}-admin`;
  return emitKubeconfig({
    clusters: [{ name: clusterName, cluster: { ...cluster.cluster, server } }],
    users: [{ name: userName, user: user.user }],
    contexts: [{ name: clusterName, context: { cluster: clusterName, user: userName } }],
    'current-context': clusterName,
  });
}

/**
 * Merges `incoming` into `existing`: entries with the same names are replaced, all others
 * kept in order, current-context switched to the incoming one. Deterministic, so exporting
 * twice yields the same file.
 */
export function mergeKubeconfigs(existing: string | undefined, incoming: string): string {
  const base = existing?.trim() ? parseKubeconfig(existing) : parseKubeconfig('{}');
  const add = parseKubeconfig(incoming);
  const mergeBy = <T extends { name: string }>(a: T[], b: T[]): T[] => {
    const names = new Set(b.map((x) => x.name));
    return [...a.filter((x) => !names.has(x.name)), ...b];
  };
  return emitKubeconfig({
    ...base,
    clusters: mergeBy(base.clusters, add.clusters),
    users: mergeBy(base.users, add.users),
    contexts: mergeBy(base.contexts, add.contexts),
    'current-context': add['current-context'] ?? base['current-context'],
  });
}
