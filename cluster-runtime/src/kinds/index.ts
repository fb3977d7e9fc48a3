/**
 * One small typed module per kind the product uses (Headlamp's pattern): identity, a slim row
 * projection for lists, TSDoc pointing at the API reference and at kubectl's printers where a
 * column copies kubectl. Any other kind still works through discovery (`KubeClient`).
 */
export * from './kind.ts';
export * from './owners.ts';
export * from './pod-status.ts';
export * from './template-size.ts';
export * from './pod.ts';
export * from './deployment.ts';
export * from './replicaset.ts';
export * from './statefulset.ts';
export * from './job.ts';
export * from './cronjob.ts';
export * from './hpa.ts';
export * from './service.ts';
export * from './event.ts';
export * from './namespace.ts';
export * from './node.ts';
export * from './runtimeclass.ts';
