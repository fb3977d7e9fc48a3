/**
 * Input schemas of `bootstrap.*`. A bad field is a 400 naming it (DESIGN.md §2).
 *
 * @see https://zod.dev/api
 */
import path from 'node:path';
import { reservedNamespaceProblem } from '@nodeless/cluster-runtime';
import { kataSha256Field, kataVersionField } from '@nodeless/host-bootstrap';
import { k3sVersionProblem, PINNED_K3S_VERSION } from '@nodeless/host-bootstrap/bootstrap';
import { z } from 'zod';

const id = z.string().trim().min(1, 'is required').max(200, 'is too long');
const hostIds = z.array(id).max(500, 'lists too many hosts');

export const SANDBOX_VALUES = ['kata-clh', 'kata-qemu', 'kata-fc', 'gvisor', 'auto'] as const;

const absolutePath = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(4096, 'is too long')
  .refine((p) => path.isAbsolute(p), 'must be an absolute path');

export const installOptionsInput = z.strictObject({
  servers: hostIds.min(1, 'name at least one server'),
  agents: hostIds.default([]),
  sandbox: z.enum(SANDBOX_VALUES, { error: `must be one of ${SANDBOX_VALUES.join(', ')}` }),
  k3sVersion: z
    .string()
    .trim()
    // A bundle may carry a build suffix (e.g. `-STAND-IN`); online installs need a release tag
    // (the engine checks that).
    .regex(
      /^v\d+\.\d+\.\d+\+k3s\d+(-[A-Za-z0-9.]+)*$/,
      `must be a k3s release tag like ${PINNED_K3S_VERSION}`,
    )
    .superRefine((v, ctx) => {
      // Older than the serverless layer needs: refused here with the engine's own sentence.
      const problem = k3sVersionProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  artifacts: z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('online'),
      /** The Kata release to fetch (default: the pinned one) and its tarball's sha256. */
      kataVersion: kataVersionField.optional(),
      kataSha256: kataSha256Field.optional(),
    }),
    z.strictObject({ kind: z.literal('bundle'), path: absolutePath }),
  ]),
});

export const clusterIdInput = z.strictObject({ clusterId: id });
export const runIdInput = z.strictObject({ runId: id });

export const startInput = z.strictObject({ clusterId: id, options: installOptionsInput });

export const logsInput = z.strictObject({
  runId: id,
  step: z.string().trim().min(1).max(300).optional(),
  hostId: id.optional(),
  limit: z.number().int().min(1).max(5_000).optional(),
});

/** A file on the desktop (also tenant kubeconfig exports): absolute, or under the user's home as `~/…` (expanded by the service). */
export const desktopFilePath = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(4096, 'is too long')
  .refine(
    (p) => path.isAbsolute(p) || p === '~' || p.startsWith('~/'),
    'must be an absolute path or start with ~/',
  );

export const exportKubeconfigInput = z.strictObject({
  clusterId: id,
  path: desktopFilePath,
  /** Ignored (kept for older clients): an existing kubeconfig at `path` is always merged. */
  merge: z.boolean().optional(),
  /** The user confirmed writing into an existing empty file (there is nothing to merge). */
  confirmPlainFile: z.boolean().optional(),
  scope: z
    .strictObject({
      namespace: z
        .string()
        .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a DNS label')
        // A tenant grant in kube-* or nodeless-system would hand out the system itself.
        .refine((ns) => reservedNamespaceProblem(ns) === undefined, {
          error: (issue) => reservedNamespaceProblem(String(issue.input)) ?? 'is reserved',
        }),
    })
    .optional(),
});

export const addHostsInput = z.strictObject({
  clusterId: id,
  hostIds: hostIds.min(1, 'name at least one host'),
});
export const removeHostInput = z.strictObject({ clusterId: id, hostId: id });
export const resetInput = z.strictObject({
  clusterId: id,
  confirmName: z.string().max(200, 'is too long'),
});

export type InstallOptionsInput = z.input<typeof installOptionsInput>;
export type InstallOptions = z.output<typeof installOptionsInput>;
export type StartInput = z.input<typeof startInput>;
export type LogsInput = z.input<typeof logsInput>;
export type ExportKubeconfigInput = z.input<typeof exportKubeconfigInput>;
