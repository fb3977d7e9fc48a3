/**
 * Reading a kubeconfig to import: its contexts (what the picker shows), what is wrong with one
 * (no cluster, no user, a server URL that is not one), and the slice of one context that is
 * kept — that context, its cluster and its user, nothing else of the file — with relative
 * file paths resolved against the kubeconfig's directory, as kubectl does.
 *
 * Every problem is an {@link InputError} naming the input field it comes from (`text`, `path`,
 * `context`), so the API answers 400 with the field.
 *
 * @see https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/
 * @see https://kubernetes.io/docs/reference/config-api/kubeconfig.v1/
 * @see https://github.com/kubernetes/client-go/blob/master/tools/clientcmd/loader.go (ResolveLocalPaths)
 */
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { InputError } from '../inventory/errors.ts';
import type { KubeconfigContextChoice } from './contract.ts';

/** The parts of a kubeconfig this module reads (the rest is kept as it is). */
interface Named<T> {
  name?: unknown;
  [key: string]: unknown;
  value?: T;
}
interface ClusterEntry {
  server?: unknown;
  'certificate-authority'?: unknown;
  [key: string]: unknown;
}
interface ExecEntry {
  command?: unknown;
  [key: string]: unknown;
}
interface UserEntry {
  exec?: ExecEntry;
  [key: string]: unknown;
}
interface ContextEntry {
  cluster?: unknown;
  user?: unknown;
  [key: string]: unknown;
}

/** A kubeconfig read from YAML: its named lists and current context. */
export interface ParsedKubeconfig {
  clusters: Map<string, ClusterEntry>;
  users: Map<string, UserEntry>;
  contexts: Map<string, ContextEntry>;
  current: string | undefined;
  /** Top-level fields other than the lists (apiVersion, kind, preferences). */
  rest: Record<string, unknown>;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `clusters: [{name, cluster: {...}}]` → name → entry; entries without a name are skipped. */
function namedList<T>(doc: Record<string, unknown>, list: string, key: string): Map<string, T> {
  const out = new Map<string, T>();
  const items = doc[list];
  if (items === undefined || items === null) return out;
  if (!Array.isArray(items)) throw new Error(`"${list}" is not a list`);
  for (const item of items as Named<T>[]) {
    if (!isRecord(item) || typeof item.name !== 'string') continue;
    const value = item[key];
    out.set(item.name, (isRecord(value) ? value : {}) as T);
  }
  return out;
}

/**
 * Parses kubeconfig YAML. `field` is the input it came from (`text` or `path`).
 *
 * @throws InputError naming `field`: not YAML, not a kubeconfig, no contexts.
 */
export function parseKubeconfig(text: string, field: string): ParsedKubeconfig {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch (error) {
    // yaml's message says the line and column; the text itself is never echoed.
    const where = error instanceof Error ? error.message.split('\n')[0] : '';
    throw new InputError({ [field]: `is not valid YAML (${where})` });
  }
  if (!isRecord(doc)) throw new InputError({ [field]: 'is not a kubeconfig (no YAML mapping)' });
  try {
    const parsed: ParsedKubeconfig = {
      clusters: namedList<ClusterEntry>(doc, 'clusters', 'cluster'),
      users: namedList<UserEntry>(doc, 'users', 'user'),
      contexts: namedList<ContextEntry>(doc, 'contexts', 'context'),
      current: typeof doc['current-context'] === 'string' ? doc['current-context'] : undefined,
      rest: Object.fromEntries(
        Object.entries(doc).filter(
          ([k]) => !['clusters', 'users', 'contexts', 'current-context'].includes(k),
        ),
      ),
    };
    if (parsed.contexts.size === 0) {
      throw new InputError({ [field]: 'has no contexts: it names no cluster to connect to' });
    }
    return parsed;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError({ [field]: `is not a kubeconfig: ${(error as Error).message}` });
  }
}

/** Why a server URL cannot be used, or undefined when it can. */
export function serverUrlProblem(server: unknown): string | undefined {
  if (typeof server !== 'string' || server.trim() === '') return 'has no server URL';
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return `has the server URL "${server.slice(0, 200)}", which is not a URL`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return `has the server URL "${server.slice(0, 200)}": it must start with https://`;
  }
  if (url.hostname === '') return `has the server URL "${server.slice(0, 200)}" without a host`;
  return undefined;
}

function authOf(user: UserEntry): Pick<KubeconfigContextChoice, 'auth' | 'execCommand'> {
  if (isRecord(user.exec)) {
    const command = typeof user.exec.command === 'string' ? user.exec.command : '';
    return { auth: 'exec', execCommand: command };
  }
  if (user['client-certificate-data'] || user['client-certificate']) return { auth: 'certificate' };
  if (user['token'] || user['tokenFile'] || user['auth-provider']) return { auth: 'token' };
  if (user['username'] || user['password']) return { auth: 'basic' };
  return { auth: 'none' };
}

/** Why a context cannot be used, or undefined when it can. */
export function contextProblem(kc: ParsedKubeconfig, name: string): string | undefined {
  const context = kc.contexts.get(name);
  if (!context) return `"${name}" is not a context of this kubeconfig`;
  const clusterName = typeof context.cluster === 'string' ? context.cluster : '';
  const userName = typeof context.user === 'string' ? context.user : '';
  if (!clusterName) return `context "${name}" names no cluster`;
  const cluster = kc.clusters.get(clusterName);
  if (!cluster)
    return `context "${name}" names the cluster "${clusterName}", which is not in the kubeconfig`;
  const server = serverUrlProblem(cluster.server);
  if (server) return `the cluster "${clusterName}" of context "${name}" ${server}`;
  if (userName && !kc.users.has(userName)) {
    return `context "${name}" names the user "${userName}", which is not in the kubeconfig`;
  }
  if (!userName) return `context "${name}" names no user`;
  return undefined;
}

/** The contexts to offer, each with its problem when it has one. */
export function contextChoices(kc: ParsedKubeconfig): KubeconfigContextChoice[] {
  return [...kc.contexts.entries()].map(([name, context]) => {
    const clusterName = typeof context.cluster === 'string' ? context.cluster : '';
    const userName = typeof context.user === 'string' ? context.user : '';
    const server = kc.clusters.get(clusterName)?.server;
    const problem = contextProblem(kc, name);
    return {
      name,
      cluster: clusterName,
      server: typeof server === 'string' ? server : '',
      user: userName,
      ...authOf(kc.users.get(userName) ?? {}),
      current: kc.current === name,
      ...(problem ? { problem } : {}),
    };
  });
}

/** Keys of a cluster / user entry that name files, resolved as kubectl does. */
const CLUSTER_FILES = ['certificate-authority'];
const USER_FILES = ['client-certificate', 'client-key', 'tokenFile'];

function resolveFiles(entry: Record<string, unknown>, keys: string[], baseDir: string) {
  const out = { ...entry };
  for (const key of keys) {
    const value = out[key];
    if (typeof value === 'string' && value !== '' && !path.isAbsolute(value)) {
      out[key] = path.resolve(baseDir, value);
    }
  }
  return out;
}

/**
 * The kubeconfig of one context only (its cluster and user), as YAML, with relative file paths
 * (certificates, keys, token files, an exec command with a path separator) resolved against
 * `baseDir` — the directory of the file it was read from.
 *
 * @throws InputError naming `context` when the context cannot be used.
 */
export function sliceKubeconfig(
  kc: ParsedKubeconfig,
  contextName: string,
  baseDir: string | undefined,
): { text: string; server: string } {
  const problem = contextProblem(kc, contextName);
  if (problem) throw new InputError({ context: problem });
  const context = kc.contexts.get(contextName) as ContextEntry;
  const clusterName = context.cluster as string;
  const userName = context.user as string;
  let cluster: Record<string, unknown> = kc.clusters.get(clusterName) ?? {};
  let user: UserEntry = kc.users.get(userName) ?? {};
  if (baseDir) {
    cluster = resolveFiles(cluster, CLUSTER_FILES, baseDir);
    user = resolveFiles(user, USER_FILES, baseDir);
    const command = user.exec?.command;
    // client-go resolves an exec command only when it is a path (has a separator).
    if (typeof command === 'string' && command.includes('/') && !path.isAbsolute(command)) {
      user = { ...user, exec: { ...user.exec, command: path.resolve(baseDir, command) } };
    }
  }
  const text = stringify({
    apiVersion: 'v1',
    kind: 'Config',
    ...kc.rest,
    clusters: [{ name: clusterName, cluster }],
    users: [{ name: userName, user }],
    contexts: [{ name: contextName, context }],
    'current-context': contextName,
  });
  return { text, server: cluster['server'] as string };
}

/** The exec plugin command of the (only) user of a sliced kubeconfig, if it uses one. */
export function execCommandOf(kc: ParsedKubeconfig, contextName: string): string | undefined {
  const userName = kc.contexts.get(contextName)?.user;
  const exec = typeof userName === 'string' ? kc.users.get(userName)?.exec : undefined;
  return isRecord(exec) && typeof exec.command === 'string' ? exec.command : undefined;
}

/** A copy of the kubeconfig with the current context's cluster pointing at `server`. */
export function withServer(text: string, server: string): string {
  const doc = parse(text) as Record<string, unknown>;
  const current = doc['current-context'];
  const contexts = (doc['contexts'] ?? []) as { name?: string; context?: ContextEntry }[];
  const clusterName = contexts.find((c) => c.name === current)?.context?.cluster;
  const clusters = (doc['clusters'] ?? []) as { name?: string; cluster?: ClusterEntry }[];
  return stringify({
    ...doc,
    clusters: clusters.map((c) =>
      c.name === clusterName ? { ...c, cluster: { ...c.cluster, server } } : c,
    ),
  });
}
