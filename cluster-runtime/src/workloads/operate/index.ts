/** Operating workloads as kubectl does: scale, HPAs, rollout history/undo/restart/pause, delete. */
export * from './history.ts';
export * from './patches.ts';
export * from './template-diff.ts';
export * from './hpa-model.ts';
export * from './hpa-operations.ts';
export * from './operations.ts';
export * from './status.ts';
export * from './statefulset-history.ts';
export * from './hpa-feed.ts';
