/** The Workloads section's rows: one shape for every workload kind, and "pool full". */
export * from './types.ts';
export * from './template.ts';
export * from './rollout-status.ts';
export * from './deployment.ts';
export * from './statefulset.ts';
export * from './job.ts';
export * from './cronjob.ts';
export * from './pod.ts';
export * from './pool-full.ts';
