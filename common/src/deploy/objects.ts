/**
 * Form → Kubernetes objects: the ONE function behind both the renderer's live YAML preview and
 * the backend's server-side apply, so the preview is exactly what is applied. Pure and
 * isomorphic; the objects are plain JSON a kubectl user reads back with `kubectl get -o yaml`.
 *
 * What it writes, and why:
 * - a Namespace first when the namespace is new (nothing else can exist before it);
 * - a Deployment `apps/v1` whose one container asks for the picked size with requests = limits
 *   at container level. Container level, not pod-level `spec.resources`: the serverless sizing
 *   policy (cluster-runtime/src/policies) computes each pod's effective request from its
 *   containers' limits and writes the pod-level resources and the `nodeless.dev/size` label
 *   itself, so the two agree; and container requests/limits are what every ResourceQuota,
 *   LimitRange and `kubectl describe` reads, on any cluster, with or without the PodLevelResources
 *   feature;
 * - labels `app.kubernetes.io/name` (also the selector) and `nodeless.dev/size` (the size's name,
 *   the same label the policy puts on each pod, so `kubectl get deploy,pods -L nodeless.dev/size`
 *   lists them) — no annotation anyone must know;
 * - a Service (ClusterIP or LoadBalancer, never NodePort) with one port per container port
 *   (port = targetPort = the container port) when exposed.
 *
 * Quantities are computed from integers (millicores, bytes) and written in the canonical form the
 * API server stores (`250m`, `1`, `512Mi`, `2Gi`), so what is read back equals what was previewed.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/deployment-v1/
 * @see https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/
 */
import { podSizeLabel, type PodSize } from '../pod-sizes.ts';
import { GIB, MIB } from '../quantity.ts';
import type { DeployForm, EnvEntry, PortEntry, ProbeEntry } from './form.ts';

/** The size label, as the sizing policy writes it on pods. */
export const DEPLOY_SIZE_LABEL = 'nodeless.dev/size';
/** The app's name label (Kubernetes' recommended label), also the selector. */
export const DEPLOY_NAME_LABEL = 'app.kubernetes.io/name';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
}

/** A plain Kubernetes object as this module builds it (structurally a client-node object). */
export interface DeployObject {
  apiVersion: string;
  kind: 'Namespace' | 'Deployment' | 'Service';
  metadata: ObjectMeta;
  spec?: Record<string, unknown>;
}

/** `250m`, `1`, `1500m`: CPU as the API server writes it back. */
export function cpuQuantity(milli: number): string {
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** `512Mi`, `2Gi`: memory as the API server writes it back (table sizes are whole MiB). */
export function memoryQuantity(bytes: number): string {
  if (bytes % GIB === 0) return `${bytes / GIB}Gi`;
  if (bytes % MIB === 0) return `${bytes / MIB}Mi`;
  return String(bytes);
}

/** Requests = limits = the size: the pod is billed for exactly what it may use. */
export function sizeResources(size: PodSize): {
  requests: Record<string, string>;
  limits: Record<string, string>;
} {
  const amounts = { cpu: cpuQuantity(size.cpuMilli), memory: memoryQuantity(size.memoryBytes) };
  return { requests: { ...amounts }, limits: { ...amounts } };
}

/** A port as the API wants it: a number when it is digits, else a port name. */
const portRef = (port: string): number | string =>
  /^[0-9]+$/.test(port.trim()) ? Number(port.trim()) : port.trim();

function envVar(e: EnvEntry): Record<string, unknown> {
  if (e.from === 'value') return { name: e.name, value: e.value };
  const ref = { name: e.sourceName, key: e.sourceKey };
  return {
    name: e.name,
    valueFrom: e.from === 'secret' ? { secretKeyRef: ref } : { configMapKeyRef: ref },
  };
}

function containerPort(p: PortEntry): Record<string, unknown> {
  return {
    ...(p.name ? { name: p.name } : {}),
    containerPort: Number(p.containerPort),
    protocol: p.protocol,
  };
}

function readinessProbe(probe: ProbeEntry): Record<string, unknown> | undefined {
  if (probe.kind === 'none') return undefined;
  const port = portRef(probe.port);
  const check =
    probe.kind === 'http' ? { httpGet: { path: probe.path, port } } : { tcpSocket: { port } };
  return {
    ...check,
    initialDelaySeconds: Number(probe.initialDelaySeconds),
    periodSeconds: Number(probe.periodSeconds),
  };
}

/** Lines typed into a list field: empty lines are not items. */
const items = (list: readonly string[]): string[] => list.filter((s) => s !== '');

function container(form: DeployForm): Record<string, unknown> {
  const command = items(form.command);
  const args = items(form.args);
  const probe = readinessProbe(form.probe);
  return {
    name: form.name,
    image: form.image,
    ...(command.length ? { command } : {}),
    ...(args.length ? { args } : {}),
    ...(form.env.length ? { env: form.env.map(envVar) } : {}),
    ...(form.ports.length ? { ports: form.ports.map(containerPort) } : {}),
    resources: sizeResources(form.size),
    ...(probe ? { readinessProbe: probe } : {}),
  };
}

/** The objects of a (valid) form, in apply order: Namespace (when new), Deployment, Service. */
export function deployObjects(form: DeployForm): DeployObject[] {
  // Fresh maps at every use: no object shares a reference with another (a YAML writer would
  // print shared maps as anchors and aliases, and a caller changing one would change both).
  const selector = () => ({ [DEPLOY_NAME_LABEL]: form.name });
  const labels = () => ({ ...selector(), [DEPLOY_SIZE_LABEL]: podSizeLabel(form.size) });
  const out: DeployObject[] = [];
  if (form.createNamespace) {
    out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: form.namespace } });
  }
  out.push({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: form.name, namespace: form.namespace, labels: labels() },
    spec: {
      replicas: Number(form.replicas),
      selector: { matchLabels: selector() },
      template: {
        metadata: { labels: labels() },
        spec: { containers: [container(form)] },
      },
    },
  });
  if (form.expose !== 'none') {
    out.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: form.name, namespace: form.namespace, labels: selector() },
      spec: {
        type: form.expose,
        selector: selector(),
        ports: form.ports.map((p) => ({
          ...(p.name ? { name: p.name } : {}),
          port: Number(p.containerPort),
          targetPort: Number(p.containerPort),
          protocol: p.protocol,
        })),
      },
    });
  }
  return out;
}
