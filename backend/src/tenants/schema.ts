/**
 * Input schemas of `tenants.*`. A bad or reserved namespace, a size that is not a positive
 * whole number, a bad member name or an expiry out of the token/CSR range is a 400 naming the field
 * (DESIGN.md §2). The rules are cluster-runtime's own (tenantNamespaceProblem, the token
 * bounds), so the API, the CLI and the cluster agree.
 *
 * @see https://zod.dev/api
 * @see https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/token-request-v1/
 */
import {
  memberNameProblem,
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

const member = z
  .string()
  .trim()
  .superRefine((m, ctx) => {
    const problem = memberNameProblem(m);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** More namespaces for one tenant than a person would hand out; keeps requests small. */
export const MAX_TENANT_NAMESPACES = 20;
const namespaceList = z
  .array(namespace)
  .max(MAX_TENANT_NAMESPACES, `must be at most ${MAX_TENANT_NAMESPACES} namespaces`);

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
  /** Further namespaces of the tenant, each with the same quota. */
  extraNamespaces: namespaceList.optional(),
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
  /** Who it is for (listed with the tenant, revocable on its own); default `default`. */
  member: member.optional(),
  /** A ServiceAccount token (default) or an x509 client certificate from the CSR API. */
  credential: z.enum(['token', 'certificate']).optional(),
  expiresSeconds: z
    .number({ error: numberError })
    .int('must be a whole number of seconds')
    .min(TOKEN_MIN_SECONDS, `must be at least ${TOKEN_MIN_SECONDS} seconds (10 minutes)`)
    .max(TOKEN_MAX_SECONDS, `must be at most ${TOKEN_MAX_SECONDS} seconds (a year)`),
  path: desktopFilePath,
  /** The user confirmed writing into an existing empty file (there is nothing to merge). */
  confirmPlainFile: z.boolean().optional(),
});

/** Every kubeconfig of the tenant, or only `member`'s. */
export const tenantsRevokeInput = z.strictObject({
  clusterId: id,
  namespace,
  member: member.optional(),
});

/**
 * Removes the tenant's access, quota and label; the namespaces named in `deleteNamespaces`
 * (typed by the user as confirmation) are deleted with everything in them.
 */
export const tenantsRemoveInput = z.strictObject({
  clusterId: id,
  namespace,
  deleteNamespaces: namespaceList.optional(),
});

export type TenantsListInput = z.input<typeof tenantsListInput>;
export type TenantsAddInput = z.input<typeof tenantsAddInput>;
export type TenantsKubeconfigInput = z.input<typeof tenantsKubeconfigInput>;
export type TenantsRevokeInput = z.input<typeof tenantsRevokeInput>;
export type TenantsRemoveInput = z.input<typeof tenantsRemoveInput>;
