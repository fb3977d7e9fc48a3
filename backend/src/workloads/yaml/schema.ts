/**
 * Input schemas of `workloads.yaml.*`; a bad input is a 400 naming the field (DESIGN.md §2).
 * A manifest is bounded (1 MiB, as kube-apiserver bounds a request body to 3 MiB and one
 * object to 1.5 MiB in etcd): bigger text is refused before it is parsed.
 *
 * @see https://zod.dev/api
 */
import { z } from 'zod';

const id = z.string().trim().min(1, 'is required').max(200, 'is too long');
const word = z.string().trim().min(1, 'is required').max(253, 'is too long');

/** 1 MiB of YAML: far past any hand-written manifest. */
export const MAX_MANIFEST_CHARS = 1024 * 1024;

const text = z.string().max(MAX_MANIFEST_CHARS, 'is longer than 1 MiB');

export const yamlObjectRef = z.strictObject({
  apiVersion: word,
  kind: word,
  namespace: word.optional(),
  name: word,
});

const edit = z.strictObject({
  ref: yamlObjectRef,
  resourceVersion: z.string().max(64, 'is too long'),
  original: text,
});

export const yamlDryRunInput = z.strictObject({
  clusterId: id,
  text,
  force: z.boolean().optional(),
  edit: edit.optional(),
  overwrite: z.boolean().optional(),
});

export const yamlApplyInput = yamlDryRunInput;

export const yamlGetInput = z.strictObject({ clusterId: id, ref: yamlObjectRef });

export type YamlDryRunInput = z.input<typeof yamlDryRunInput>;
export type YamlApplyInput = z.input<typeof yamlApplyInput>;
export type YamlGetInput = z.input<typeof yamlGetInput>;
