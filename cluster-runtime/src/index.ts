/**
 * cluster-runtime: the Kubernetes side of Nodeless (serverless policies, baseline
 * manifests, smoke test, day-2 node removal, kubeconfig handling). Imports only Node and its own
 * dependencies.
 */
export * from './baseline/runtime-classes.ts';
export * from './kubeconfig/k3s-kubeconfig.ts';
export * from './kubeconfig/kubeconfig-file.ts';
export * from './client.ts';
export * from './kinds/index.ts';
export * from './steps/types.ts';
export * from './baseline/objects.ts';
export * from './baseline/manifest-step.ts';
export * from './baseline/steps.ts';
export * from './baseline/meter-steps.ts';
export * from './baseline/bootstrap-api.ts';
export * from './smoke/smoke-pod.ts';
export * from './smoke/smoke-test.ts';
export * from './day2/drain.ts';
export * from './day2/tenant-rbac.ts';
export {
  adminKubeconfig,
  namespaceKubeconfig,
  reservedNamespaceProblem,
  ReservedNamespaceError,
  type NamespaceExportOptions,
} from './day2/kubeconfig-export.ts';
export * from './watch/index.ts';
export * from './pool/index.ts';
export * from './tenants/index.ts';
export { refreshPolicyMachines } from './policies/params.ts';
export * from './workloads/list/index.ts';
export * from './workloads/operate/index.ts';
export * from './metering/index.ts';
