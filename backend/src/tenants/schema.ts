/**
 * Input schemas of `tenants.*`. A bad or reserved namespace, a size that is not a positive
 * whole number, or an expiry out of TokenRequest's range is a 400 naming the field
 * (DESIGN.md §2). The rules are cluster-runtime's own (tenantNamespaceProblem, the token
 * bounds), so the API, the CLI and the cluster agree.
 *
 * @see https://zod.dev/api
 * @see https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/token-request-v1/
 */
import {
  tenantNamespaceProblem,
  TOKEN_MAX_SECONDS,
  TOKEN_MIN_SECONDS,
} from '@nodeless/cluster-runtime';
import { z } from 'zod';
import { desktopFilePath } from '../bootstrap/schema.ts';

const id = z.string().trim().min(1, 'is required').max(200, 'is too long');

const namespace = z
  .string()
  .trim()
  .superRefine((ns, ctx) => {
    const problem = tenantNamespaceProblem(ns);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const numberError = (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : 'must be a number';

/** A positive whole number no bigger than `max` (sizes are integers: millicores, bytes). */
const positive = (max: number, unit: string) =>
  z
    .number({ error: numberError })
    .int('must be a whole number')
    .positive('must be more than 0')
    .max(max, `must be at most ${max} ${unit}`);

/** 1024 vCPU, 4 TiB, 10 000 pods: far past any one tenant, short of numbers that overflow. */
export const MAX_QUOTA_CPU_MILLI = 1024 * 1000;
export const MAX_QUOTA_MEMORY_BYTES = 4 * 1024 ** 4;
export const MAX_TENANT_PODS = 10_000;

export const tenantsListInput = z.strictObject({ clusterId: id });

export const tenantsAddInput = z.strictObject({
  clusterId: id,
  namespace,
  quota: z
    .strictObject({
      cpuMilli: positive(MAX_QUOTA_CPU_MILLI, 'millicores'),
      memoryBytes: positive(MAX_QUOTA_MEMORY_BYTES, 'bytes'),
    })
    .optional(),
  pods: positive(MAX_TENANT_PODS, 'pods').optional(),
});

export const tenantsKubeconfigInput = z.strictObject({
  clusterId: id,
  namespace,
  expiresSeconds: z
    .number({ error: numberError })
    .int('must be a whole number of seconds')
    .min(TOKEN_MIN_SECONDS, `must be at least ${TOKEN_MIN_SECONDS} seconds (10 minutes)`)
    .max(TOKEN_MAX_SECONDS, `must be at most ${TOKEN_MAX_SECONDS} seconds (a year)`),
  path: desktopFilePath,
  /** The user confirmed writing into an existing empty file (there is nothing to merge). */
  confirmPlainFile: z.boolean().optional(),
});

export const tenantsRevokeInput = z.strictObject({ clusterId: id, namespace });

export type TenantsListInput = z.input<typeof tenantsListInput>;
export type TenantsAddInput = z.input<typeof tenantsAddInput>;
export type TenantsKubeconfigInput = z.input<typeof tenantsKubeconfigInput>;
export type TenantsRevokeInput = z.input<typeof tenantsRevokeInput>;
