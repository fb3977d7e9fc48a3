/**
 * Command lines of the control plane's components, as pure functions of the layout (so a unit
 * test can read them). The flags follow what k3s v1.36 passes to its embedded components
 * (pkg/daemons/control/server.go), narrowed to loopback: every bind and advertise address is
 * 127.0.0.1 unless a stand-in server passes its own address.
 *
 * @see https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
 * @see https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/
 * @see https://kubernetes.io/docs/reference/command-line-tools-reference/kube-scheduler/
 * @see https://etcd.io/docs/v3.6/op-guide/configuration/
 * @see https://github.com/k3s-io/k3s/blob/master/pkg/daemons/control/server.go
 */
import type { PkiPaths } from './pki-files.ts';

/** Service and pod ranges k3s uses by default. */
export const SERVICE_CIDR = '10.43.0.0/16';
export const CLUSTER_CIDR = '10.42.0.0/16';
export const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

export interface Ports {
  readonly apiserver: number;
  readonly etcdClient: number;
  readonly etcdPeer: number;
  readonly controllerManager: number;
  readonly scheduler: number;
  readonly kwok: number;
  readonly metricsServer: number;
}

/** Knobs tests shorten (controller periods) or extend (feature gates). */
export interface Tuning {
  /** kube-controller-manager `--node-monitor-grace-period` (default 50s, Kubernetes ≥ 1.32). */
  readonly nodeMonitorGracePeriod?: string;
  /** `--horizontal-pod-autoscaler-sync-period` (default 15s). */
  readonly hpaSyncPeriod?: string;
  /** `--horizontal-pod-autoscaler-downscale-stabilization` (default 5m0s). */
  readonly hpaDownscaleStabilization?: string;
  /** Extra `--feature-gates` entries for every Kubernetes component, e.g. `PodLevelResources=true`. */
  readonly featureGates?: readonly string[];
  /** Leader election for kube-controller-manager and kube-scheduler (on when several servers run them). */
  readonly leaderElect?: boolean;
}

export interface Layout {
  readonly dataDir: string;
  readonly pki: PkiPaths;
  readonly ports: Ports;
  /** Address the API server binds (127.0.0.1 for tests). */
  readonly address: string;
  /**
   * Address it advertises (the `kubernetes` Service's endpoint). The API refuses loopback
   * endpoints, so on loopback this is the egress proxy's alias (see egress.ts).
   */
  readonly advertiseAddress?: string;
  /** `--egress-selector-config-file` (loopback control plane only). */
  readonly egressConfigFile?: string;
  readonly tuning?: Tuning;
}

const gates = (t: Tuning | undefined) =>
  t?.featureGates?.length ? [`--feature-gates=${t.featureGates.join(',')}`] : [];

export function etcdArgs(l: Layout, name = 'default'): string[] {
  const client = `http://127.0.0.1:${l.ports.etcdClient}`;
  const peer = `http://127.0.0.1:${l.ports.etcdPeer}`;
  return [
    `--name=${name}`,
    `--data-dir=${l.dataDir}/etcd`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=${name}=${peer}`,
    '--listen-metrics-urls=',
    // Writes are small and the disk is shared with the whole test run: a smaller backend
    // quota and automatic compaction keep etcd's own footprint bounded.
    '--quota-backend-bytes=2147483648',
    '--auto-compaction-mode=periodic',
    '--auto-compaction-retention=5m',
    '--log-level=warn',
  ];
}

export function apiserverArgs(l: Layout): string[] {
  const p = l.pki;
  return [
    `--etcd-servers=http://127.0.0.1:${l.ports.etcdClient}`,
    `--bind-address=${l.address}`,
    `--advertise-address=${l.advertiseAddress ?? l.address}`,
    ...(l.egressConfigFile ? [`--egress-selector-config-file=${l.egressConfigFile}`] : []),
    `--secure-port=${l.ports.apiserver}`,
    `--tls-cert-file=${p.apiserverCert}`,
    `--tls-private-key-file=${p.apiserverKey}`,
    `--client-ca-file=${p.caCert}`,
    `--service-account-key-file=${p.saPub}`,
    `--service-account-signing-key-file=${p.saKey}`,
    `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
    `--api-audiences=${SERVICE_ACCOUNT_ISSUER},k3s`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    '--service-node-port-range=30000-32767',
    '--authorization-mode=Node,RBAC',
    '--anonymous-auth=false',
    '--enable-admission-plugins=NodeRestriction',
    '--allow-privileged=true',
    // Aggregation layer (metrics.k8s.io from metrics-server).
    `--requestheader-client-ca-file=${p.frontProxyCa}`,
    '--requestheader-allowed-names=front-proxy-client',
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-username-headers=X-Remote-User',
    `--proxy-client-cert-file=${p.frontProxyClientCert}`,
    `--proxy-client-key-file=${p.frontProxyClientKey}`,
    // No kube-proxy here: route aggregated requests to the Service's endpoints, not its
    // cluster IP (k3s does the same).
    '--enable-aggregator-routing=true',
    // Logs, exec and metrics reach the "kubelets" (KWOK's server) at their InternalIP.
    `--kubelet-client-certificate=${p.cert('apiserverKubeletClient').cert}`,
    `--kubelet-client-key=${p.cert('apiserverKubeletClient').key}`,
    '--kubelet-preferred-address-types=InternalIP,Hostname',
    '--profiling=false',
    ...gates(l.tuning),
  ];
}

export function controllerManagerArgs(l: Layout): string[] {
  const p = l.pki;
  const kc = p.kubeconfig('controllerManager');
  const t = l.tuning ?? {};
  return [
    `--kubeconfig=${kc}`,
    `--authentication-kubeconfig=${kc}`,
    `--authorization-kubeconfig=${kc}`,
    `--bind-address=${l.address}`,
    `--secure-port=${l.ports.controllerManager}`,
    `--cluster-signing-cert-file=${p.caCert}`,
    `--cluster-signing-key-file=${p.caKey}`,
    `--root-ca-file=${p.caCert}`,
    `--service-account-private-key-file=${p.saKey}`,
    '--use-service-account-credentials=true',
    `--cluster-cidr=${CLUSTER_CIDR}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    '--allocate-node-cidrs=true',
    '--configure-cloud-routes=false',
    `--leader-elect=${t.leaderElect === true}`,
    `--node-monitor-grace-period=${t.nodeMonitorGracePeriod ?? '50s'}`,
    `--horizontal-pod-autoscaler-sync-period=${t.hpaSyncPeriod ?? '15s'}`,
    `--horizontal-pod-autoscaler-downscale-stabilization=${t.hpaDownscaleStabilization ?? '5m0s'}`,
    '--profiling=false',
    ...gates(l.tuning),
  ];
}

export function schedulerArgs(l: Layout): string[] {
  const kc = l.pki.kubeconfig('scheduler');
  return [
    `--kubeconfig=${kc}`,
    `--authentication-kubeconfig=${kc}`,
    `--authorization-kubeconfig=${kc}`,
    `--bind-address=${l.address}`,
    `--secure-port=${l.ports.scheduler}`,
    `--leader-elect=${l.tuning?.leaderElect === true}`,
    '--profiling=false',
    ...gates(l.tuning),
  ];
}
