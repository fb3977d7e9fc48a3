/**
 * The control plane's certificates and kubeconfigs on disk, laid out like kubeadm's
 * `/etc/kubernetes/pki` (one cluster CA for clients, serving and kubelet clients; a separate
 * front-proxy CA for the aggregation layer; the service-account key pair) — created once per
 * data directory and reused on restart, so tokens and kubeconfigs survive a restart.
 *
 * @see https://kubernetes.io/docs/setup/best-practices/certificates/
 * @see https://kubernetes.io/docs/tasks/extend-kubernetes/configure-aggregation-layer/
 */
import fs from 'node:fs';
import path from 'node:path';
import { kubeconfigYaml } from '../kube-sim/kubeconfig.ts';
import { createCa, createKeyPair, issueCert, type CertPair } from '../pki/pki.ts';

/** Identities the components (and tests) authenticate as. CN = user, O = groups. */
export const IDENTITIES = {
  admin: { user: 'system:admin', groups: ['system:masters'] },
  controllerManager: { user: 'system:kube-controller-manager', groups: [] },
  scheduler: { user: 'system:kube-scheduler', groups: [] },
  // KWOK plays every kubelet (node status, pod status, leases): it needs a kubelet's powers
  // over many nodes at once, which no single system:node:<name> identity has.
  kwok: { user: 'kwok-controller', groups: ['system:masters'] },
  metricsServer: { user: 'system:metrics-server', groups: [] },
  apiserverKubeletClient: { user: 'kube-apiserver-kubelet-client', groups: ['system:masters'] },
} as const;
export type Identity = keyof typeof IDENTITIES;

/** Names every kube-apiserver serving certificate carries (as kubeadm and k3s issue them). */
export const API_SERVER_SANS = [
  '127.0.0.1',
  'localhost',
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
  '10.43.0.1',
];

export interface PkiPaths {
  readonly dir: string;
  readonly caCert: string;
  readonly caKey: string;
  readonly apiserverCert: string;
  readonly apiserverKey: string;
  readonly saKey: string;
  readonly saPub: string;
  readonly frontProxyCa: string;
  readonly frontProxyClientCert: string;
  readonly frontProxyClientKey: string;
  /** Serving certificate of the kubelets' server (KWOK's). */
  readonly kubeletCert: string;
  readonly kubeletKey: string;
  /** `<identity>.crt/.key` */
  cert(identity: Identity): { cert: string; key: string };
  /** A kubeconfig for `identity` against `server` (`<identity>.kubeconfig`). */
  kubeconfig(identity: Identity): string;
}

export function pkiPaths(dir: string): PkiPaths {
  const p = (n: string) => path.join(dir, n);
  return {
    dir,
    caCert: p('ca.crt'),
    caKey: p('ca.key'),
    apiserverCert: p('apiserver.crt'),
    apiserverKey: p('apiserver.key'),
    saKey: p('sa.key'),
    saPub: p('sa.pub'),
    frontProxyCa: p('front-proxy-ca.crt'),
    frontProxyClientCert: p('front-proxy-client.crt'),
    frontProxyClientKey: p('front-proxy-client.key'),
    kubeletCert: p('kubelet.crt'),
    kubeletKey: p('kubelet.key'),
    cert: (id) => ({ cert: p(`${id}.crt`), key: p(`${id}.key`) }),
    kubeconfig: (id) => p(`${id}.kubeconfig`),
  };
}

function write(file: string, text: string, mode: number): void {
  fs.writeFileSync(file, text, { mode });
  fs.chmodSync(file, mode);
}

function loadPair(cert: string, key: string): CertPair | undefined {
  if (!fs.existsSync(cert) || !fs.existsSync(key)) return undefined;
  return { certPem: fs.readFileSync(cert, 'utf8'), keyPem: fs.readFileSync(key, 'utf8') };
}

function pair(cert: string, key: string, make: () => CertPair): CertPair {
  const existing = loadPair(cert, key);
  if (existing) return existing;
  const made = make();
  write(cert, made.certPem, 0o644);
  write(key, made.keyPem, 0o600);
  return made;
}

export interface EnsurePkiOptions {
  /** Extra serving names (addresses a stand-in server is reached at). */
  readonly sans?: readonly string[];
  /** The API server URL written into every kubeconfig. */
  readonly server: string;
  /**
   * The cluster CA to use instead of a new one: the stand-in k3s passes k3s's client CA, so
   * certificates the controller-manager signs for CSRs (kubernetes.io/kube-apiserver-client)
   * are accepted at k3s's :6443 as they are on a real server.
   */
  readonly ca?: CertPair;
}

/**
 * Creates what is missing under `dir` and (re)writes the kubeconfigs for `server`. The serving
 * certificate is reissued when the wanted SANs change; CAs and keys are never replaced.
 */
export function ensurePki(dir: string, o: EnsurePkiOptions): PkiPaths {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const paths = pkiPaths(dir);
  if (o.ca && loadPair(paths.caCert, paths.caKey)?.certPem !== o.ca.certPem) {
    // A different CA: everything it signed is void.
    for (const f of fs.readdirSync(dir))
      if (
        f !== 'front-proxy-ca.crt' &&
        f !== 'front-proxy-ca.key' &&
        f !== 'sa.key' &&
        f !== 'sa.pub'
      )
        fs.rmSync(path.join(dir, f), { force: true });
    write(paths.caCert, o.ca.certPem, 0o644);
    write(paths.caKey, o.ca.keyPem, 0o600);
  }
  const ca = pair(paths.caCert, paths.caKey, () => createCa('nodeless-testkit-ca'));
  const sans = [...new Set([...API_SERVER_SANS, ...(o.sans ?? [])])];
  const sansFile = path.join(dir, 'apiserver.sans');
  const wanted = sans.join('\n');
  if (!fs.existsSync(sansFile) || fs.readFileSync(sansFile, 'utf8') !== wanted) {
    fs.rmSync(paths.apiserverCert, { force: true });
    fs.rmSync(paths.kubeletCert, { force: true });
    write(sansFile, wanted, 0o644);
  }
  pair(paths.apiserverCert, paths.apiserverKey, () =>
    issueCert(ca, { commonName: 'kube-apiserver', sans }),
  );
  pair(paths.kubeletCert, paths.kubeletKey, () =>
    issueCert(ca, { commonName: 'kubelet', sans: ['127.0.0.1', 'localhost', ...(o.sans ?? [])] }),
  );
  if (!fs.existsSync(paths.saKey)) {
    const sa = createKeyPair();
    write(paths.saPub, sa.publicPem, 0o644);
    write(paths.saKey, sa.privatePem, 0o600);
  }
  const frontCaKey = path.join(dir, 'front-proxy-ca.key');
  const frontCa = pair(paths.frontProxyCa, frontCaKey, () => createCa('front-proxy-ca'));
  pair(paths.frontProxyClientCert, paths.frontProxyClientKey, () =>
    issueCert(frontCa, { commonName: 'front-proxy-client', client: true }),
  );
  for (const id of Object.keys(IDENTITIES) as Identity[]) {
    const { user, groups } = IDENTITIES[id];
    const files = paths.cert(id);
    const cert = pair(files.cert, files.key, () =>
      issueCert(ca, { commonName: user, organizations: groups, client: true }),
    );
    write(
      paths.kubeconfig(id),
      kubeconfigYaml({
        server: o.server,
        caPem: ca.certPem,
        certPem: cert.certPem,
        keyPem: cert.keyPem,
        name: 'nodeless-testkit',
      }),
      0o600,
    );
  }
  return paths;
}
