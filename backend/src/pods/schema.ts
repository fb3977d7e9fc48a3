/**
 * Input schema of `pods.logs`: strict (an unknown field is a 400 naming it), one pod or one
 * workload, integer bounds as the API takes them.
 *
 * @see ./logs-types.ts LogsInput
 */
import { z } from 'zod';
import { clusterId } from '../clusters/schema.ts';
import type { LogsInput } from './logs-types.ts';

/** A Kubernetes object name or namespace (DNS subdomain, at most 253 characters). */
const name = z
  .string()
  .min(1, 'is required')
  .max(253, 'must be at most 253 characters')
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'is not a Kubernetes name');

/** A container name (DNS label). */
const containerName = z
  .string()
  .min(1, 'is required')
  .max(63, 'must be at most 63 characters')
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'is not a container name');

const count = (max: number) =>
  z.number().int('must be a whole number').min(0, 'must not be negative').max(max);

export const logsInput = z
  .strictObject({
    clusterId,
    namespace: name,
    pod: name.optional(),
    workload: z
      .strictObject({
        kind: z.enum(['Deployment', 'StatefulSet', 'Job', 'CronJob']),
        name,
      })
      .optional(),
    container: containerName.optional(),
    previous: z.boolean().optional(),
    tailLines: count(1_000_000).optional(),
    sinceSeconds: z
      .number()
      .int('must be a whole number')
      .min(1)
      .max(10 * 365 * 86_400)
      .optional(),
    timestamps: z.boolean().optional(),
    follow: z.boolean().optional(),
    limitBytes: z
      .number()
      .int('must be a whole number')
      .min(1)
      .max(1024 ** 3)
      .optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.pod === undefined) === (value.workload === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['pod'],
        message: 'name a pod or a workload, not both',
      });
  }) satisfies z.ZodType<LogsInput>;
