/**
 * The two Kubernetes API substrates the parity suites run against, behind one interface:
 * **kube-sim** (our API double, `src/kube-sim/`) and the **control plane** (the real
 * kube-apiserver v1.36 with controllers, scheduler, KWOK nodes and metrics-server,
 * `src/control-plane/`). Both are driven with the same real kubectl v1.36.3 (built with the
 * control plane; never the machine's `/usr/bin/kubectl`, which is another version), through an
 * admin kubeconfig file, so a suite written once asserts upstream behaviour on both:
 *
 * ```ts
 * describe.each(SUBSTRATES)('%s', (_name, start) => {
 *   const env = useSubstrate(start, { nodes: 3 });
 *   it('…', async () => expect((await env.current.kubectl(['get', 'ns'])).code).toBe(0));
 * });
 * ```
 *
 * @see ../README.md (kube-sim: where it differs from upstream)
 */
import { request } from 'node:https';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import YAML from 'yaml';
import { ensureControlPlane, startControlPlane } from '../src/control-plane/index.ts';
import { kubeconfigYaml } from '../src/kube-sim/kubeconfig.ts';
import { startKubeSim, type KubeSimOptions } from '../src/kube-sim/index.ts';
import { issueCert, type CertPair } from '../src/pki/pki.ts';
import { runKubectl, type KubectlResult } from './kube-sim-helpers.ts';

export type SubstrateName = 'kube-sim' | 'control-plane';

/** A raw HTTPS answer (status, headers, body text exactly as sent). */
export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** What a parity suite needs from a running substrate. */
export interface SubstrateEnv {
  readonly name: SubstrateName;
  readonly url: string;
  /** The admin kubeconfig (system:masters) as a 0600 file. */
  readonly kubeconfigPath: string;
  /** A private directory: kubectl's HOME (its discovery cache) and scratch files. */
  readonly dir: string;
  /** The real kubectl v1.36.3. */
  readonly kubectlBinary: string;
  /** The cluster CA (PEM), for raw HTTPS clients. */
  readonly caPem: string;
  /** Runs kubectl with the admin kubeconfig unless `args` carry `--kubeconfig`; never throws. */
  kubectl(args: readonly string[], input?: string): Promise<KubectlResult>;
  /**
   * An HTTPS request; `body` is sent as is. It presents the admin's client certificate unless
   * `anonymous` (then only what `headers` carry, e.g. a bearer token, identifies it).
   */
  raw(
    method: string,
    path: string,
    body?: string,
    headers?: Record<string, string>,
    options?: { anonymous?: boolean },
  ): Promise<RawResponse>;
  /** A client certificate for `user` in `groups`, signed by the cluster CA. */
  issueClientCert(user: string, groups: readonly string[]): CertPair;
  /** Writes a kubeconfig for another identity (certificate or bearer token); returns its path. */
  kubeconfigFor(
    file: string,
    creds: { token: string } | { certPem: string; keyPem: string },
  ): Promise<string>;
  stop(): Promise<void>;
}

export interface SubstrateOptions {
  /** Worker nodes (default 3). */
  readonly nodes?: number;
  /** kube-sim only: options of its own (time scale, watch window, bookmarks…). */
  readonly kubeSim?: KubeSimOptions;
}

export type StartSubstrate = (options?: SubstrateOptions) => Promise<SubstrateEnv>;

interface AdminCredentials {
  server: string;
  caPem: string;
  certPem: string;
  keyPem: string;
}

interface KubeconfigDoc {
  clusters?: Array<{ cluster?: Record<string, string> }>;
  users?: Array<{ user?: Record<string, string> }>;
}

const unb64 = (s: string | undefined): string => Buffer.from(s ?? '', 'base64').toString('utf8');

/** Server, CA and client certificate of an admin kubeconfig with inline data (both substrates'). */
function adminCredentials(kubeconfig: string): AdminCredentials {
  const doc = YAML.parse(kubeconfig) as KubeconfigDoc;
  const cluster = doc.clusters?.[0]?.cluster ?? {};
  const user = doc.users?.[0]?.user ?? {};
  return {
    server: cluster['server'] ?? '',
    caPem: unb64(cluster['certificate-authority-data']),
    certPem: unb64(user['client-certificate-data']),
    keyPem: unb64(user['client-key-data']),
  };
}

function rawRequest(
  admin: AdminCredentials,
  method: string,
  path: string,
  body: string | undefined,
  headers: Record<string, string>,
  anonymous: boolean,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${admin.server}${path}`,
      {
        method,
        ca: admin.caPem,
        ...(anonymous ? {} : { cert: admin.certPem, key: admin.keyPem }),
        headers: {
          'User-Agent': 'nodeless-parity/1.0',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** The parts every substrate shares, around its admin kubeconfig and CA. */
async function envAround(o: {
  name: SubstrateName;
  kubeconfig: string;
  kubectlBinary: string;
  issueClientCert: (user: string, groups: readonly string[]) => CertPair;
  stop: () => Promise<void>;
}): Promise<SubstrateEnv> {
  const dir = await mkdtemp(join(tmpdir(), `parity-${o.name}-`));
  const kubeconfigPath = join(dir, 'admin.kubeconfig');
  await writeFile(kubeconfigPath, o.kubeconfig, { mode: 0o600 });
  const admin = adminCredentials(o.kubeconfig);
  return {
    name: o.name,
    url: admin.server,
    kubeconfigPath,
    dir,
    kubectlBinary: o.kubectlBinary,
    caPem: admin.caPem,
    kubectl: (args, input) =>
      runKubectl(
        [...(args.includes('--kubeconfig') ? [] : ['--kubeconfig', kubeconfigPath]), ...args],
        input,
        {},
        dir,
        o.kubectlBinary,
      ),
    raw: (method, path, body, headers = {}, options = {}) =>
      rawRequest(admin, method, path, body, headers, options.anonymous === true),
    issueClientCert: o.issueClientCert,
    async kubeconfigFor(file, creds) {
      const path = join(dir, file);
      await writeFile(
        path,
        kubeconfigYaml({
          server: admin.server,
          caPem: admin.caPem,
          namespace: 'default',
          ...creds,
        }),
        { mode: 0o600 },
      );
      return path;
    },
    async stop() {
      await o.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The real kubectl v1.36.3, built (once, cached) with the control plane. */
export async function kubectlBinary(): Promise<string> {
  return (await ensureControlPlane()).path('kubectl');
}

/** kube-sim with its simulated cluster (seeded), driven by the real kubectl. */
export const startSimEnv: StartSubstrate = async (options = {}) => {
  const binary = await kubectlBinary();
  const sim = await startKubeSim({ seed: 7, nodes: options.nodes ?? 3, ...options.kubeSim });
  return envAround({
    name: 'kube-sim',
    kubeconfig: sim.kubeconfig,
    kubectlBinary: binary,
    issueClientCert: (user, groups) => sim.issueClientCert(user, [...groups]),
    stop: () => sim.stop(),
  });
};

/** The real control plane (etcd, kube-apiserver, controllers, scheduler, KWOK, metrics-server). */
export const startCpEnv: StartSubstrate = async (options = {}) => {
  const cp = await startControlPlane({ nodes: options.nodes ?? 3 });
  const ca: CertPair = {
    certPem: await readFile(cp.pki.caCert, 'utf8'),
    keyPem: await readFile(cp.pki.caKey, 'utf8'),
  };
  return envAround({
    name: 'control-plane',
    kubeconfig: cp.kubeconfig,
    kubectlBinary: cp.binaries.path('kubectl'),
    issueClientCert: (user, groups) =>
      issueCert(ca, { commonName: user, organizations: groups, client: true }),
    stop: () => cp.stop(),
  });
};

/** Both substrates, for `describe.each`. */
export const SUBSTRATES: ReadonlyArray<readonly [SubstrateName, StartSubstrate]> = [
  ['kube-sim', startSimEnv],
  ['control-plane', startCpEnv],
];

/** A substrate started before the enclosing `describe` and stopped after it. */
export interface UsedSubstrate {
  /** The running substrate; only valid inside tests and hooks (after `beforeAll`). */
  readonly current: SubstrateEnv;
}

/** Starts `start(options)` in `beforeAll` (15 min: a cold control-plane build) and stops it. */
export function useSubstrate(start: StartSubstrate, options: SubstrateOptions = {}): UsedSubstrate {
  let env: SubstrateEnv | undefined;
  beforeAll(async () => {
    env = await start(options);
  }, 900_000);
  afterAll(async () => {
    await env?.stop();
  });
  return {
    get current() {
      if (env === undefined) throw new Error('substrate is not started (use it inside tests)');
      return env;
    },
  };
}
