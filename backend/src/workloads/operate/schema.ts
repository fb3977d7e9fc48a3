/**
 * Input schemas of `workloads.operate.*`. A bad field is a 400 naming it (DESIGN.md §2); the
 * HPA's rules are cluster-runtime's {@link validateHpaModel} (the renderer runs the same one),
 * so the form, the API and the cluster agree.
 *
 * @see https://zod.dev/api
 */
import {
  MAX_HPA_REPLICAS,
  MAX_STABILIZATION_SECONDS,
  MAX_UTILIZATION_PERCENT,
  validateHpaModel,
} from '@nodeless/cluster-runtime';
import { z } from 'zod';

const id = z.string().trim().min(1, 'is required').max(200, 'is too long');
/** A DNS-1123 name or label as the API takes it; the cluster has the last word. */
const objectName = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(253, 'is longer than 253 characters');

const numberError = (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : 'must be a number';

const whole = (min: number, max: number, unit = '') =>
  z
    .number({ error: numberError })
    .int('must be a whole number')
    .min(min, `must be at least ${min}${unit}`)
    .max(max, `must be at most ${max}${unit}`);

export const workloadKind = z.enum(['Deployment', 'StatefulSet', 'Job', 'CronJob', 'Pod']);

const workload = {
  clusterId: id,
  kind: workloadKind,
  namespace: objectName,
  name: objectName,
};

export const operateWorkloadInput = z.strictObject(workload);

/** Replicas a person sets by hand; an HPA may go further within its own maximum. */
export const MAX_MANUAL_REPLICAS = MAX_HPA_REPLICAS;

export const operateScaleInput = z.strictObject({
  ...workload,
  replicas: whole(0, MAX_MANUAL_REPLICAS),
});

export const operatePauseInput = z.strictObject({ ...workload, paused: z.boolean() });

const revision = whole(1, Number.MAX_SAFE_INTEGER);

export const operateDiffInput = z.strictObject({ ...workload, from: revision, to: revision });

export const operateUndoInput = z.strictObject({ ...workload, toRevision: revision });

export const operateDeleteInput = z.strictObject({
  ...workload,
  /** The uid the user saw: a workload re-created meanwhile under the name is not deleted. */
  uid: z.string().max(100).optional(),
});

export const operateDeleteNamespaceInput = z.strictObject({
  clusterId: id,
  name: objectName,
  /** The name as the user typed it to confirm. */
  confirmName: z.string().max(253),
});

export const operateHpaApplyInput = z
  .strictObject({
    clusterId: id,
    namespace: objectName,
    name: objectName,
    target: z.strictObject({ kind: z.enum(['Deployment', 'StatefulSet']), name: objectName }),
    minReplicas: whole(1, MAX_HPA_REPLICAS),
    maxReplicas: whole(1, MAX_HPA_REPLICAS),
    cpuUtilization: whole(1, MAX_UTILIZATION_PERCENT, ' %').optional(),
    memoryUtilization: whole(1, MAX_UTILIZATION_PERCENT, ' %').optional(),
    scaleDownStabilizationSeconds: whole(0, MAX_STABILIZATION_SECONDS, ' seconds').optional(),
  })
  .superRefine((input, ctx) => {
    const { clusterId: _cluster, ...model } = input;
    for (const [field, message] of Object.entries(validateHpaModel(model))) {
      ctx.addIssue({ code: 'custom', path: [field], message });
    }
  });

export const operateHpaDeleteInput = z.strictObject({
  clusterId: id,
  namespace: objectName,
  name: objectName,
});

export type OperateWorkloadInput = z.input<typeof operateWorkloadInput>;
export type OperateScaleInput = z.input<typeof operateScaleInput>;
export type OperatePauseInput = z.input<typeof operatePauseInput>;
export type OperateDiffInput = z.input<typeof operateDiffInput>;
export type OperateUndoInput = z.input<typeof operateUndoInput>;
export type OperateDeleteInput = z.input<typeof operateDeleteInput>;
export type OperateDeleteNamespaceInput = z.input<typeof operateDeleteNamespaceInput>;
export type OperateHpaApplyInput = z.input<typeof operateHpaApplyInput>;
export type OperateHpaDeleteInput = z.input<typeof operateHpaDeleteInput>;
