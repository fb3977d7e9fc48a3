/**
 * cluster-runtime: the Kubernetes side of Nodeless (serverless policies, sizing, baseline
 * manifests, kubeconfig handling). Imports only Node and its own dependencies.
 */
export * from './sizing/pod-specs.ts';
export * from './sizing/quantity.ts';
export * from './sizing/effective-request.ts';
export * from './baseline/runtime-classes.ts';
export * from './kubeconfig/k3s-kubeconfig.ts';
