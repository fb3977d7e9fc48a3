/**
 * Input schemas of `workspace.*`. Every object is strict (an unknown field is a 400 naming it);
 * a failure names the field (`text`, `path`, `context`, `name`, `clusterId` …).
 */
import { z } from 'zod';
import { id } from '../inventory/schema.ts';

/** Pasted kubeconfig text: within the API's 1 MiB request body. */
export const MAX_PASTED_CHARS = 1024 * 1024;

const typeError =
  (expected: string) =>
  (issue: { input: unknown }): string =>
    issue.input === undefined || issue.input === null ? 'is required' : `must be ${expected}`;

const text = () => z.string({ error: typeError('text') });

/** Cluster ids are the inventory's (UUIDs). */
export const clusterId = id;

/** A Kubernetes object name or namespace (DNS subdomain, at most 253 characters). */
const objectName = text()
  .min(1, 'is required')
  .max(253, 'must be at most 253 characters')
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'is not a Kubernetes name');

/** The kubeconfig, pasted (`text`) or as a file the backend reads (`path`): exactly one. */
const sourceFields = {
  // The API takes request bodies up to 1 MiB; a bigger kubeconfig is imported by path.
  text: text()
    .min(1, 'is empty: paste a kubeconfig')
    .max(MAX_PASTED_CHARS, 'is too long to paste: import the file by its path instead')
    .optional(),
  path: text().min(1, 'is required').max(4096, 'must be at most 4096 characters').optional(),
};

function oneSource(
  value: { text?: string | undefined; path?: string | undefined },
  ctx: z.RefinementCtx,
) {
  if (value.text === undefined && value.path === undefined) {
    ctx.addIssue({ code: 'custom', path: ['text'], message: 'is required (or give a path)' });
  } else if (value.text !== undefined && value.path !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['path'],
      message: 'give either text or a path, not both',
    });
  }
}

export const previewKubeconfigInput = z.strictObject(sourceFields).superRefine(oneSource);
export type PreviewKubeconfigInput = z.infer<typeof previewKubeconfigInput>;

export const importKubeconfigInput = z
  .strictObject({
    ...sourceFields,
    name: text()
      .trim()
      .min(1, 'is required')
      .max(63, 'must be at most 63 characters')
      // eslint-disable-next-line no-control-regex
      .regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters'),
    context: text().min(1, 'is required').max(253, 'must be at most 253 characters'),
    demo: z.boolean({ error: typeError('true or false') }).optional(),
  })
  .superRefine(oneSource);
export type ImportKubeconfigInput = z.infer<typeof importKubeconfigInput>;

export const removeClusterInput = z.strictObject({ clusterId });

/** The feeds a window can subscribe to (contract.ts FeedRows). */
export const FEED_KINDS = ['pods', 'nodes', 'events', 'workloads', 'hpas'] as const;

export const feedInput = z.strictObject({
  clusterId,
  kind: z.enum(FEED_KINDS, {
    error: (issue) =>
      issue.input === undefined ? 'is required' : `must be one of: ${FEED_KINDS.join(', ')}`,
  }),
});

export const overviewInput = z.strictObject({ clusterId });

export const podInput = z.strictObject({ clusterId, namespace: objectName, name: objectName });
export type PodInput = z.infer<typeof podInput>;
