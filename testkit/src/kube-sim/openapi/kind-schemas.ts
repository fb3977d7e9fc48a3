/**
 * Per-kind parts of kube-sim's OpenAPI subset: the spec types of the workload kinds and the
 * top-level fields of kinds without a spec. Notation as in `schemas.ts`.
 *
 * @see https://github.com/kubernetes/kubernetes/tree/master/api/openapi-spec/v3
 */
import type { FieldType, TypeDef } from './schemas.ts';

/** Spec types per kind (the rest get open objects). */
export const SPECS: Record<string, TypeDef> = {
  Pod: { d: 'PodSpec is a description of a pod.', f: {} },
  Deployment: {
    d: 'DeploymentSpec is the specification of the desired behavior of the Deployment.',
    f: {
      replicas: 'i',
      selector: 'LabelSelector',
      template: 'PodTemplateSpec',
      strategy: 'o',
      minReadySeconds: 'i',
      revisionHistoryLimit: 'i',
      paused: 'b',
      progressDeadlineSeconds: 'i',
    },
    required: ['selector', 'template'],
  },
  ReplicaSet: {
    d: 'ReplicaSetSpec is the specification of a ReplicaSet.',
    f: {
      replicas: 'i',
      minReadySeconds: 'i',
      selector: 'LabelSelector',
      template: 'PodTemplateSpec',
    },
    required: ['selector'],
  },
  StatefulSet: {
    d: 'A StatefulSetSpec is the specification of a StatefulSet.',
    f: {
      replicas: 'i',
      selector: 'LabelSelector',
      template: 'PodTemplateSpec',
      serviceName: 's',
      podManagementPolicy: 's',
      updateStrategy: 'o',
      revisionHistoryLimit: 'i',
      volumeClaimTemplates: ['o'],
      minReadySeconds: 'i',
    },
    required: ['selector', 'template'],
  },
  DaemonSet: {
    d: 'DaemonSetSpec is the specification of a daemon set.',
    f: {
      selector: 'LabelSelector',
      template: 'PodTemplateSpec',
      updateStrategy: 'o',
      minReadySeconds: 'i',
      revisionHistoryLimit: 'i',
    },
    required: ['selector', 'template'],
  },
  Job: {
    d: 'JobSpec describes how the job execution will look like.',
    f: {
      parallelism: 'i',
      completions: 'i',
      activeDeadlineSeconds: 'i',
      backoffLimit: 'i',
      selector: 'LabelSelector',
      manualSelector: 'b',
      template: 'PodTemplateSpec',
      ttlSecondsAfterFinished: 'i',
      completionMode: 's',
      suspend: 'b',
    },
    required: ['template'],
  },
  CronJob: {
    d: 'CronJobSpec describes how the job execution will look like and when it will actually run.',
    f: {
      schedule: 's',
      timeZone: 's',
      startingDeadlineSeconds: 'i',
      concurrencyPolicy: 's',
      suspend: 'b',
      jobTemplate: 'o',
      successfulJobsHistoryLimit: 'i',
      failedJobsHistoryLimit: 'i',
    },
    required: ['schedule', 'jobTemplate'],
  },
  Service: {
    d: 'ServiceSpec describes the attributes that a user creates on a service.',
    f: {
      ports: ['ServicePort', 'port'],
      selector: 'm',
      clusterIP: 's',
      clusterIPs: '[s]',
      type: 's',
      externalIPs: '[s]',
      sessionAffinity: 's',
      externalName: 's',
      externalTrafficPolicy: 's',
      internalTrafficPolicy: 's',
      ipFamilies: '[s]',
      ipFamilyPolicy: 's',
    },
  },
};

/** Top-level non-spec fields some kinds carry. */
export const TOP_FIELDS: Record<string, Record<string, FieldType>> = {
  ConfigMap: { data: 'm', binaryData: 'm', immutable: 'b' },
  Secret: { data: 'm', stringData: 'm', type: 's', immutable: 'b' },
  ServiceAccount: { secrets: ['o'], imagePullSecrets: ['o'], automountServiceAccountToken: 'b' },
  Role: { rules: ['o'] },
  ClusterRole: { rules: ['o'], aggregationRule: 'o' },
  RoleBinding: { subjects: ['o'], roleRef: 'o' },
  ClusterRoleBinding: { subjects: ['o'], roleRef: 'o' },
  RuntimeClass: { handler: 's', overhead: 'o', scheduling: 'o' },
  Endpoints: { subsets: ['o'] },
  EndpointSlice: { addressType: 's', endpoints: ['o'], ports: ['o'] },
  Event: {
    involvedObject: 'o',
    reason: 's',
    message: 's',
    type: 's',
    count: 'i',
    firstTimestamp: 's',
    lastTimestamp: 's',
    source: 'o',
    eventTime: 's',
    reportingComponent: 's',
    reportingInstance: 's',
    action: 's',
  },
  ControllerRevision: { data: 'o', revision: 'i' },
  PriorityClass: { value: 'i', globalDefault: 'b', description: 's', preemptionPolicy: 's' },
};
