/**
 * What `workloads.operate.*` answers (part of the API contract, re-exported by ../../api/index.ts).
 * The shapes are cluster-runtime's, so the renderer reads what the engine computed.
 */
export type {
  HpaConditionText,
  HpaMetricNow,
  HpaModel,
  HpaModelErrors,
  HpaState,
  Revision,
  RolloutProgress,
  ScalableKind,
  TemplateChange,
  UndoResult,
  WorkloadStatus,
} from '@nodeless/cluster-runtime';

/** `scale`: spec.replicas as the API server answered. */
export interface ScaleAnswer {
  replicas: number;
}

/** `pause`: whether anything changed (already paused or running: false). */
export interface PauseAnswer {
  changed: boolean;
}

/** `delete`, `hpaDelete`, `deleteNamespace`: false when it was already gone. */
export interface DeleteAnswer {
  deleted: boolean;
}
