/**
 * An HPA as the `hpas` feed carries it: kubectl's columns ({@link HpaRow}) and what the
 * operations panel and the HPA editor show ({@link HpaState}: the editable model, metrics now
 * against their targets, conditions in words). One projection of the watched object, so the
 * panel stays live from the feed (an HPA changed with kubectl shows at once) with no read of
 * its own.
 */
import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { hpaRow, type HpaRow } from '../../kinds/hpa.ts';
import { hpaState, type HpaState } from './hpa-model.ts';

export type HpaFeedRow = HpaRow & HpaState;

export function hpaFeedRow(h: V2HorizontalPodAutoscaler): HpaFeedRow {
  return { ...hpaRow(h), ...hpaState(h) };
}
