/**
 * The seam inside kube-sim between the API server (HTTP, discovery, patch, watch streams) and the
 * simulated cluster (scheduler, kubelets, controllers). Both sides use this in-process store; the
 * HTTP layer is a thin translation of the same operations, so controllers see exactly what
 * kubectl sees.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/
 */

/** Object metadata, as in k8s.io/apimachinery ObjectMeta (only what kube-sim uses). */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  managedFields?: unknown[];
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** Any stored Kubernetes object. Typed views (V1Pod, …) come from @kubernetes/client-node. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** Identifies a resource type, e.g. `{ group: 'apps', version: 'v1', resource: 'deployments' }`. */
export interface ResourceKey {
  /** '' for the core group. */
  group: string;
  version: string;
  /** Plural lower-case name. */
  resource: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface ListOptions {
  namespace?: string;
  /** Label selector in the API's string syntax (`app=web,tier!=db,env in (a,b)`). */
  labelSelector?: string;
  /** Field selector in the API's string syntax (`spec.nodeName=n1,status.phase!=Failed`). */
  fieldSelector?: string;
}

export interface DeleteOptions {
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  gracePeriodSeconds?: number;
  /** Precondition: delete only if the stored uid / resourceVersion still match. */
  preconditions?: { uid?: string; resourceVersion?: string };
}

/**
 * What a `Status` names: the object (`name`), its API group and — as upstream's
 * `errors.NewNotFound`/`NewAlreadyExists`/`NewConflict` write it — the *resource* as `kind`.
 *
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/api/errors/errors.go
 */
export interface ErrorDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: unknown[];
}

/** Thrown by store operations; the HTTP layer maps it to a `Status` object and code. */
export class StoreError extends Error {
  constructor(
    readonly code: 400 | 403 | 404 | 409 | 410 | 422,
    readonly reason:
      'BadRequest' | 'Forbidden' | 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Gone' | 'Invalid',
    message: string,
    /** The object the error is about, when there is one (BadRequest and Gone name none). */
    readonly details?: ErrorDetails,
  ) {
    super(message);
  }
}

/** Details naming `name` of `resource` (group left out for the core group, as upstream). */
export function detailsOf(resource: ResourceKey, name: string | undefined): ErrorDetails {
  return {
    ...(name === undefined || name === '' ? {} : { name }),
    ...(resource.group === '' ? {} : { group: resource.group }),
    kind: resource.resource,
  };
}

export type WatchHandler = (type: WatchEventType, object: KubeObject) => void;

export interface ObjectStore {
  get(resource: ResourceKey, namespace: string | undefined, name: string): KubeObject | undefined;
  list(resource: ResourceKey, options?: ListOptions): KubeObject[];
  /** Assigns uid, resourceVersion, creationTimestamp, generation; resolves generateName. */
  create(resource: ResourceKey, object: KubeObject): KubeObject;
  /**
   * Replaces the object (or only its `status` for `subresource: 'status'`; `'binding'` writes
   * the main object as a pod's binding subresource does, without bumping `generation`). When the given
   * object carries a resourceVersion that is not the stored one, throws 409 Conflict.
   */
  update(
    resource: ResourceKey,
    object: KubeObject,
    options?: { subresource?: 'status' | 'binding' },
  ): KubeObject;
  /**
   * Deletes, honouring finalizers (sets deletionTimestamp instead) and ownerReference
   * garbage collection per propagationPolicy. Returns the object as last stored.
   */
  delete(
    resource: ResourceKey,
    namespace: string | undefined,
    name: string,
    options?: DeleteOptions,
  ): KubeObject | undefined;
  /** Calls `handler` for every change of this resource after now; returns an unsubscribe. */
  watch(resource: ResourceKey, handler: WatchHandler, options?: ListOptions): () => void;
}
