/**
 * Typed views of stored objects. The store holds plain JSON (timestamps are RFC 3339 strings),
 * while @kubernetes/client-node's model classes type timestamps as `Date`; {@link Wire} maps one
 * onto the other so controllers get the upstream field names and shapes without `any`.
 *
 * @see https://github.com/kubernetes-client/javascript/tree/main/src/gen/models
 */
import type {
  V1CronJob,
  V1DaemonSet,
  V1Deployment,
  V1Endpoints,
  V1EndpointSlice,
  CoreV1Event,
  V1HorizontalPodAutoscaler,
  V1Job,
  V1Lease,
  V1Namespace,
  V1Node,
  V1Pod,
  V1ReplicaSet,
  V1RuntimeClass,
  V1Service,
  V1StatefulSet,
  V1Taint,
  V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import type { KubeObject, ResourceKey } from '../store/types.ts';

/** The JSON wire form of a client-node model: `Date` fields become RFC 3339 strings. */
export type Wire<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

export type Pod = Wire<V1Pod>;
export type Node = Wire<V1Node>;
export type Lease = Wire<V1Lease>;
export type Namespace = Wire<V1Namespace>;
export type RuntimeClass = Wire<V1RuntimeClass>;
export type ReplicaSet = Wire<V1ReplicaSet>;
export type Deployment = Wire<V1Deployment>;
export type StatefulSet = Wire<V1StatefulSet>;
export type DaemonSet = Wire<V1DaemonSet>;
export type Job = Wire<V1Job>;
export type CronJob = Wire<V1CronJob>;
export type Service = Wire<V1Service>;
export type Endpoints = Wire<V1Endpoints>;
export type EndpointSlice = Wire<V1EndpointSlice>;
export type KubeEvent = Wire<CoreV1Event>;
export type Taint = Wire<V1Taint>;
export type Hpa = Wire<V2HorizontalPodAutoscaler>;
/** Only used to name the v1 shape in docs; the controller reads v2. */
export type HpaV1 = Wire<V1HorizontalPodAutoscaler>;

/** Views a stored object as the typed model `T` (no copy). */
export function view<T>(object: KubeObject): T {
  return object as unknown as T;
}

/** The inverse of {@link view}: hands a typed object to the store. */
export function raw<T extends { metadata?: object }>(object: T): KubeObject {
  return object as unknown as KubeObject;
}

/** Deep copy, so an object read from the store is never mutated in place. */
export function clone<T>(object: T): T {
  return structuredClone(object);
}

const key = (group: string, version: string, resource: string): ResourceKey => ({
  group,
  version,
  resource,
});

/** The resources the simulation reads and writes. */
export const R = {
  namespaces: key('', 'v1', 'namespaces'),
  nodes: key('', 'v1', 'nodes'),
  pods: key('', 'v1', 'pods'),
  services: key('', 'v1', 'services'),
  endpoints: key('', 'v1', 'endpoints'),
  events: key('', 'v1', 'events'),
  endpointSlices: key('discovery.k8s.io', 'v1', 'endpointslices'),
  leases: key('coordination.k8s.io', 'v1', 'leases'),
  runtimeClasses: key('node.k8s.io', 'v1', 'runtimeclasses'),
  deployments: key('apps', 'v1', 'deployments'),
  replicaSets: key('apps', 'v1', 'replicasets'),
  replicationControllers: key('', 'v1', 'replicationcontrollers'),
  statefulSets: key('apps', 'v1', 'statefulsets'),
  daemonSets: key('apps', 'v1', 'daemonsets'),
  jobs: key('batch', 'v1', 'jobs'),
  cronJobs: key('batch', 'v1', 'cronjobs'),
  hpas: key('autoscaling', 'v2', 'horizontalpodautoscalers'),
} as const;

/** Label marking every object the simulation invents as simulated (DESIGN.md §6: be honest). */
export const SIMULATED_LABEL = 'nodeless.dev/simulated';
/**
 * Node annotation saying "kube-sim's sandbox kubelet runs this node's pods". The stand-in k3s
 * sets it on the real test hosts it registers: they have no real kubelet or containerd, so
 * their pods are simulated too, and the node says so.
 */
export const SIMULATED_KUBELET_ANNOTATION = 'kube-sim.nodeless.dev/kubelet';
/** Annotations the load model reads. */
export const CPU_ANNOTATION = 'sim.nodeless.dev/cpu-millicores';
export const MEMORY_ANNOTATION = 'sim.nodeless.dev/memory-bytes';
/** Pod annotation overriding the simulated run time of a Job pod. */
export const DURATION_ANNOTATION = 'sim.nodeless.dev/duration-ms';
/** A container whose image, command or args contain this exits 1 on every start. */
export const CRASH_SENTINEL = 'sim.crash';

/** `namespace/name` (or `name` for cluster-scoped objects): the work-queue key. */
export function keyOf(object: { metadata?: { namespace?: string; name?: string } }): string {
  const ns = object.metadata?.namespace;
  return ns ? `${ns}/${object.metadata?.name ?? ''}` : (object.metadata?.name ?? '');
}

export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const i = key.indexOf('/');
  return i < 0
    ? { namespace: undefined, name: key }
    : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** The controller ownerReference of an object, if any. */
export function controllerOf(object: {
  metadata?: {
    ownerReferences?: { controller?: boolean; uid: string; kind: string; name: string }[];
  };
}) {
  return object.metadata?.ownerReferences?.find((o) => o.controller === true);
}

/** RFC 3339 with second precision, as the API server writes metav1.Time. */
export function isoTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** RFC 3339 with microseconds, as metav1.MicroTime. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
