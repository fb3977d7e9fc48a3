/**
 * A compact description of the schemas kube-sim publishes — a deliberate subset of upstream's
 * OpenAPI: every served kind gets a schema (apiVersion, kind, metadata, and spec/status/data as
 * open objects), and the workload path kubectl users touch most is described field by field
 * with upstream's patch extensions: Pod → PodSpec → Container (ports, env, resources, probes,
 * volumeMounts), Volume, Deployment/ReplicaSet/StatefulSet/DaemonSet/Job/CronJob specs, PodTemplate,
 * LabelSelector, Service, ConfigMap, Secret, ObjectMeta. Enough for `kubectl explain pod.spec`,
 * client-side apply (strategic merge keys) and `--validate` with server-side field validation.
 *
 * Field notation: 's' string, 'i' integer, 'b' boolean, 'q' quantity-or-string, 'm' map of
 * strings, 'o' free-form object, '[s]' string list, 'Ref' object, ['Ref'] atomic list,
 * ['Ref', 'key'] list merged by key.
 *
 * @see https://github.com/kubernetes/kubernetes/tree/master/api/openapi-spec/v3
 * @see https://github.com/kubernetes/kubernetes/blob/master/api/openapi-spec/README.md
 */

export type FieldType =
  's' | 'i' | 'b' | 'q' | 'm' | 'o' | '[s]' | string | [string] | [string, string];
export interface Field {
  t: FieldType;
  d: string;
  required?: boolean;
}
export interface TypeDef {
  d: string;
  f: Record<string, Field | FieldType>;
  required?: string[];
}

const ns = 'io.k8s.api.core.v1';
export const CORE = ns;

/** Named types (short names; the generator qualifies them per group). */
export const TYPES: Record<string, TypeDef> = {
  ObjectMeta: {
    d: 'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
    f: {
      name: { t: 's', d: 'Name must be unique within a namespace. Cannot be updated.' },
      generateName: {
        t: 's',
        d: 'GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided.',
      },
      namespace: {
        t: 's',
        d: 'Namespace defines the space within which each name must be unique.',
      },
      labels: {
        t: 'm',
        d: 'Map of string keys and values that can be used to organize and categorize (scope and select) objects.',
      },
      annotations: {
        t: 'm',
        d: 'Annotations is an unstructured key value map stored with a resource.',
      },
      uid: {
        t: 's',
        d: 'UID is the unique in time and space value for this object. Populated by the system.',
      },
      resourceVersion: {
        t: 's',
        d: 'An opaque value that represents the internal version of this object.',
      },
      generation: {
        t: 'i',
        d: 'A sequence number representing a specific generation of the desired state.',
      },
      creationTimestamp: {
        t: 's',
        d: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
      },
      deletionTimestamp: {
        t: 's',
        d: 'DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted.',
      },
      finalizers: { t: '[s]', d: 'Must be empty before the object is deleted from the registry.' },
      ownerReferences: {
        t: ['OwnerReference', 'uid'],
        d: 'List of objects depended by this object.',
      },
      selfLink: {
        t: 's',
        d: 'Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.',
      },
      deletionGracePeriodSeconds: {
        t: 'i',
        d: 'Number of seconds allowed for this object to gracefully terminate before it will be removed from the system.',
      },
      managedFields: {
        t: ['o'],
        d: 'ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow.',
      },
    },
  },
  OwnerReference: {
    d: 'OwnerReference contains enough information to let you identify an owning object.',
    f: {
      apiVersion: 's',
      kind: 's',
      name: 's',
      uid: 's',
      controller: 'b',
      blockOwnerDeletion: 'b',
    },
    required: ['apiVersion', 'kind', 'name', 'uid'],
  },
  LabelSelector: {
    d: 'A label selector is a label query over a set of resources.',
    f: {
      matchLabels: { t: 'm', d: 'matchLabels is a map of {key,value} pairs.' },
      matchExpressions: {
        t: ['o'],
        d: 'matchExpressions is a list of label selector requirements. The requirements are ANDed.',
      },
    },
  },
  PodTemplateSpec: {
    d: 'PodTemplateSpec describes the data a pod should have when created from a template',
    f: {
      metadata: { t: 'ObjectMeta', d: "Standard object's metadata." },
      spec: { t: 'PodSpec', d: 'Specification of the desired behavior of the pod.' },
    },
  },
  PodSpec: {
    d: 'PodSpec is a description of a pod.',
    f: {
      containers: {
        t: ['Container', 'name'],
        d: 'List of containers belonging to the pod. Containers cannot currently be added or removed. There must be at least one container in a Pod.',
        required: true,
      },
      initContainers: {
        t: ['Container', 'name'],
        d: 'List of initialization containers belonging to the pod.',
      },
      volumes: {
        t: ['Volume', 'name'],
        d: 'List of volumes that can be mounted by containers belonging to the pod.',
      },
      restartPolicy: {
        t: 's',
        d: 'Restart policy for all containers within the pod. One of Always, OnFailure, Never.',
      },
      terminationGracePeriodSeconds: {
        t: 'i',
        d: 'Optional duration in seconds the pod needs to terminate gracefully.',
      },
      activeDeadlineSeconds: {
        t: 'i',
        d: 'Optional duration in seconds the pod may be active on the node relative to StartTime.',
      },
      dnsPolicy: { t: 's', d: 'Set DNS policy for the pod. Defaults to "ClusterFirst".' },
      nodeSelector: {
        t: 'm',
        d: 'NodeSelector is a selector which must be true for the pod to fit on a node.',
      },
      serviceAccountName: {
        t: 's',
        d: 'ServiceAccountName is the name of the ServiceAccount to use to run this pod.',
      },
      automountServiceAccountToken: {
        t: 'b',
        d: 'AutomountServiceAccountToken indicates whether a service account token should be automatically mounted.',
      },
      nodeName: { t: 's', d: 'NodeName indicates in which node this pod is scheduled.' },
      hostNetwork: { t: 'b', d: 'Host networking requested for this pod.' },
      hostPID: { t: 'b', d: "Use the host's pid namespace." },
      securityContext: {
        t: 'o',
        d: 'SecurityContext holds pod-level security attributes and common container settings.',
      },
      imagePullSecrets: {
        t: ['o'],
        d: 'ImagePullSecrets is an optional list of references to secrets in the same namespace to use for pulling any of the images used by this PodSpec.',
      },
      affinity: { t: 'o', d: "If specified, the pod's scheduling constraints" },
      schedulerName: {
        t: 's',
        d: 'If specified, the pod will be dispatched by specified scheduler.',
      },
      tolerations: { t: ['Toleration'], d: "If specified, the pod's tolerations." },
      priorityClassName: { t: 's', d: "If specified, indicates the pod's priority." },
      runtimeClassName: {
        t: 's',
        d: 'RuntimeClassName refers to a RuntimeClass object in the node.k8s.io group, which should be used to run this pod.',
      },
      overhead: {
        t: 'm',
        d: 'Overhead represents the resource overhead associated with running a pod for a given RuntimeClass.',
      },
      topologySpreadConstraints: {
        t: ['o', 'topologyKey'],
        d: 'TopologySpreadConstraints describes how a group of pods ought to spread across topology domains.',
      },
    },
    required: ['containers'],
  },
  Container: {
    d: 'A single application container that you want to run within a pod.',
    f: {
      name: {
        t: 's',
        d: 'Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name.',
        required: true,
      },
      image: { t: 's', d: 'Container image name.' },
      command: { t: '[s]', d: 'Entrypoint array. Not executed within a shell.' },
      args: { t: '[s]', d: 'Arguments to the entrypoint.' },
      workingDir: { t: 's', d: "Container's working directory." },
      ports: {
        t: ['ContainerPort', 'containerPort'],
        d: 'List of ports to expose from the container.',
      },
      env: { t: ['EnvVar', 'name'], d: 'List of environment variables to set in the container.' },
      envFrom: {
        t: ['o'],
        d: 'List of sources to populate environment variables in the container.',
      },
      resources: { t: 'ResourceRequirements', d: 'Compute Resources required by this container.' },
      volumeMounts: {
        t: ['VolumeMount', 'mountPath'],
        d: "Pod volumes to mount into the container's filesystem.",
      },
      livenessProbe: { t: 'Probe', d: 'Periodic probe of container liveness.' },
      readinessProbe: { t: 'Probe', d: 'Periodic probe of container service readiness.' },
      startupProbe: {
        t: 'Probe',
        d: 'StartupProbe indicates that the Pod has successfully initialized.',
      },
      imagePullPolicy: { t: 's', d: 'Image pull policy. One of Always, Never, IfNotPresent.' },
      securityContext: {
        t: 'o',
        d: 'SecurityContext defines the security options the container should be run with.',
      },
      terminationMessagePath: {
        t: 's',
        d: "Path at which the file to which the container's termination message will be written is mounted.",
      },
      terminationMessagePolicy: {
        t: 's',
        d: 'Indicate how the termination message should be populated.',
      },
      stdin: 'b',
      tty: 'b',
    },
    required: ['name'],
  },
  ContainerPort: {
    d: 'ContainerPort represents a network port in a single container.',
    f: {
      name: 's',
      containerPort: {
        t: 'i',
        d: "Number of port to expose on the pod's IP address.",
        required: true,
      },
      protocol: 's',
      hostPort: 'i',
      hostIP: 's',
    },
    required: ['containerPort'],
  },
  EnvVar: {
    d: 'EnvVar represents an environment variable present in a Container.',
    f: {
      name: { t: 's', d: 'Name of the environment variable.', required: true },
      value: {
        t: 's',
        d: 'Variable references $(VAR_NAME) are expanded using the previously defined environment variables.',
      },
      valueFrom: 'o',
    },
    required: ['name'],
  },
  VolumeMount: {
    d: 'VolumeMount describes a mounting of a Volume within a container.',
    f: {
      name: 's',
      mountPath: 's',
      readOnly: 'b',
      recursiveReadOnly: 's',
      subPath: 's',
      subPathExpr: 's',
      mountPropagation: 's',
    },
    required: ['name', 'mountPath'],
  },
  Volume: {
    d: 'Volume represents a named volume in a pod that may be accessed by any container in the pod.',
    f: {
      name: 's',
      configMap: 'o',
      secret: 'o',
      emptyDir: 'o',
      persistentVolumeClaim: 'o',
      projected: 'o',
      hostPath: 'o',
      downwardAPI: 'o',
    },
    required: ['name'],
  },
  ResourceRequirements: {
    d: 'ResourceRequirements describes the compute resource requirements.',
    f: {
      limits: { t: 'm', d: 'Limits describes the maximum amount of compute resources allowed.' },
      requests: {
        t: 'm',
        d: 'Requests describes the minimum amount of compute resources required.',
      },
      claims: {
        t: ['o', 'name'],
        d: 'Claims lists the names of resources, defined in spec.resourceClaims, that are used by this container.',
      },
    },
  },
  Probe: {
    d: 'Probe describes a health check to be performed against a container.',
    f: {
      exec: 'o',
      httpGet: 'o',
      tcpSocket: 'o',
      grpc: 'o',
      initialDelaySeconds: 'i',
      periodSeconds: 'i',
      timeoutSeconds: 'i',
      successThreshold: 'i',
      failureThreshold: 'i',
      terminationGracePeriodSeconds: 'i',
    },
  },
  Toleration: {
    d: 'The pod this Toleration is attached to tolerates any taint that matches the triple <key,value,effect>.',
    f: { key: 's', operator: 's', value: 's', effect: 's', tolerationSeconds: 'i' },
  },
  ServicePort: {
    d: "ServicePort contains information on service's port.",
    f: { name: 's', protocol: 's', port: 'i', targetPort: 'q', nodePort: 'i', appProtocol: 's' },
    required: ['port'],
  },
};
