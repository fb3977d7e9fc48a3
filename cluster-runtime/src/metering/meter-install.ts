/**
 * The meter's cluster objects (issue 15, metering.md): its RBAC (meter-rbac.ts), the Deployment
 * `nodeless-system/nodeless-meter`, the fence on its ConfigMap writes (meter-admission.ts's
 * meterFencePolicy) and the metering admission policies — the finalizer's and the sandbox-start
 * record's (meteringPolicy) — ({@link meterWorkloadObjects}, in apply order: install and upgrade are a server-side apply of
 * that list, by the baseline's step or the API for imported clusters); and the param ConfigMap
 * that switches the finalizer on ({@link meterSwitch}), which the install does NOT apply: the
 * meter's leader creates it once it runs (meter/src/finalizer-switch.ts). Uninstall is
 * meter-uninstall.ts.
 *
 * The Deployment:
 * - 2 replicas spread over machines when they can be (preferred anti-affinity by hostname: a
 *   single-machine cluster still runs both), leader-elected through Lease `nodeless-meter`, so a
 *   node loss costs one lease duration, not the time to reschedule;
 * - no `runtimeClassName`: the default handler, runc. `nodeless-system` is not a tenant namespace
 *   (DESIGN.md §5): the meter is the operator's code, not a tenant's, and a microVM per replica
 *   would cost the sandbox overhead (≥ 130 MiB and 250m per pod) to isolate trusted code;
 * - the restricted Pod Security profile: non-root with a fixed uid (65532, distroless's
 *   `nonroot`, so the uid does not depend on the image's USER), read-only root filesystem (a
 *   small memory-backed /tmp for the runtime), no privilege escalation, every capability
 *   dropped, the runtime's default seccomp profile;
 * - its own size, requests = limits ({@link METER_SIZE});
 * - `--identity` from the downward API (the pod's name: unique, and what `kubectl get lease`
 *   shows as holder), the other flags as metering.md fixes them;
 * - a liveness probe on the health port; image pull policy IfNotPresent: the image is imported
 *   into each node's containerd from the archive (k3s's images directory, or `k3s ctr images
 *   import`), and no registry serves `nodeless.dev/…`, so the kubelet must use what is there.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 * @see https://kubernetes.io/docs/concepts/workloads/pods/downward-api/
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#inter-pod-affinity-and-anti-affinity
 * @see https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy
 * @see https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/
 * @see https://docs.k3s.io/installation/airgap#manually-deploy-images-method
 */
import type { KubernetesObject, V1ConfigMap, V1Deployment } from '@kubernetes/client-node';
import { DEFAULT_POD_SIZE, MIB, podSizeLabel, type PodSize } from '@nodeless/common';
import { MANAGED_BY, SYSTEM_NAMESPACE } from '../baseline/objects.ts';
import { SIZE_LABEL } from '../policies/manifest.ts';
import { meterFencePolicy, meterParam, meteringPolicy } from './meter-admission.ts';
import { METER_LEASE_NAME, METER_NAME } from './meter-names.ts';
import { meterRbacList } from './meter-rbac.ts';

/** The meter version this app installs (the image tag and the archive's name follow it). */
export const METER_VERSION = '0.1.0';

/** `nodeless.dev/meter:<version>`: the name the image is built and imported under. */
export function meterImage(version: string = METER_VERSION): string {
  return `nodeless.dev/meter:${version}`;
}

/**
 * The image archive the app ships and stages into k3s's images directory
 * (`/var/lib/rancher/k3s/agent/images/`), `nodeless-meter-<version>.tar` (an OCI archive).
 */
export function meterImageArchive(version: string = METER_VERSION): string {
  return `nodeless-meter-${version}.tar`;
}
export const METER_IMAGE_ARCHIVE = meterImageArchive();

/** The Deployment (same name as the Lease, the ServiceAccount and the param). */
export const METER_DEPLOYMENT_NAME = METER_NAME;
export const METER_HEALTH_PORT = 8080;
export const METER_HEALTH_PATH = '/healthz';
/** distroless's `nonroot` uid/gid. */
export const METER_UID = 65532;
export const METER_SAMPLE_INTERVAL = '15s';
export const METER_RETENTION_DAYS = 35;

/**
 * The meter's own size: the smallest pod size (0.25 vCPU / 0.5 GiB), requests = limits, so the
 * pod is in the Guaranteed QoS class (the last the kubelet evicts under memory pressure) and the
 * pool shows it as any other pod. Why these numbers: the meter is one Node.js process (≈ 50 MiB
 * of runtime) that keeps a slim projection of every pod it watches (≈ 1–2 KiB each: 100,000 pods
 * ≈ 200 MiB) and per-pod usage folds (a few numbers, not samples), plus one ledger chunk
 * (≤ 512 KiB) at a time; 0.5 GiB leaves that much headroom again. CPU: it parses watch events and
 * writes a chunk now and then; 250m is a quarter core — the bench target (500 pod events/s) is
 * measured against it — and a CPU limit only throttles, never kills.
 */
export const METER_SIZE: PodSize = DEFAULT_POD_SIZE;

const APP_LABEL = 'app.kubernetes.io/name';
export const METER_SELECTOR = { [APP_LABEL]: METER_DEPLOYMENT_NAME } as const;

export interface MeterInstallOptions {
  /** The meter's image; default {@link meterImage}() (e.g. a registry copy for imported clusters). */
  image?: string;
  /** The version recorded on the objects and in the param; default {@link METER_VERSION}. */
  version?: string;
  /** Replicas; default 2 (leader-elected). */
  replicas?: number;
}

/** The meter's command-line flags (the same on the test substrates, where it is a process). */
export function meterArgs(identity: string): string[] {
  return [
    '--namespace',
    SYSTEM_NAMESPACE,
    '--lease-name',
    METER_LEASE_NAME,
    '--identity',
    identity,
    '--sample-interval',
    METER_SAMPLE_INTERVAL,
    '--retention-days',
    String(METER_RETENTION_DAYS),
    '--health-port',
    String(METER_HEALTH_PORT),
  ];
}

function labelsOf(version: string): Record<string, string> {
  return { ...MANAGED_BY, ...METER_SELECTOR, 'app.kubernetes.io/version': version };
}

export function meterDeployment(options: MeterInstallOptions = {}): V1Deployment {
  const version = options.version ?? METER_VERSION;
  const amount = {
    cpu: `${METER_SIZE.cpuMilli}m`,
    memory: `${METER_SIZE.memoryBytes / MIB}Mi`,
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: METER_DEPLOYMENT_NAME,
      namespace: SYSTEM_NAMESPACE,
      labels: labelsOf(version),
    },
    spec: {
      replicas: options.replicas ?? 2,
      revisionHistoryLimit: 3,
      selector: { matchLabels: { ...METER_SELECTOR } },
      template: {
        metadata: { labels: { ...labelsOf(version), [SIZE_LABEL]: podSizeLabel(METER_SIZE) } },
        spec: {
          serviceAccountName: METER_NAME,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: METER_UID,
            runAsGroup: METER_UID,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 100,
                  podAffinityTerm: {
                    labelSelector: { matchLabels: { ...METER_SELECTOR } },
                    topologyKey: 'kubernetes.io/hostname',
                  },
                },
              ],
            },
          },
          containers: [
            {
              name: 'meter',
              image: options.image ?? meterImage(version),
              imagePullPolicy: 'IfNotPresent',
              // The image's entrypoint is the meter; `$(POD_NAME)` is expanded by the kubelet.
              args: meterArgs('$(POD_NAME)'),
              env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
              ports: [{ name: 'health', containerPort: METER_HEALTH_PORT, protocol: 'TCP' }],
              livenessProbe: {
                httpGet: { path: METER_HEALTH_PATH, port: 'health' },
                initialDelaySeconds: 10,
                periodSeconds: 20,
                timeoutSeconds: 5,
                failureThreshold: 3,
              },
              resources: { requests: { ...amount }, limits: { ...amount } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } }],
        },
      },
    },
  };
}

/**
 * Everything but the switch, in apply order: RBAC (the ServiceAccount must exist before the
 * ReplicaSet creates pods), the fence on its ConfigMap writes (before the Deployment: the meter
 * never runs unfenced), the Deployment, the metering policies and their bindings.
 */
export function meterWorkloadObjects(options: MeterInstallOptions = {}): KubernetesObject[] {
  return [...meterRbacList(), ...meterFencePolicy(), meterDeployment(options), ...meteringPolicy()];
}

/** The param ConfigMap (`nodeless-meter`): created by the meter's leader, never by the install. */
export function meterSwitch(options: MeterInstallOptions = {}): V1ConfigMap {
  return meterParam(options.version ?? METER_VERSION);
}

/** Every meter object, the param last (what the status looks for; the install stops short of it). */
export function meterObjects(options: MeterInstallOptions = {}): KubernetesObject[] {
  return [...meterWorkloadObjects(options), meterSwitch(options)];
}
