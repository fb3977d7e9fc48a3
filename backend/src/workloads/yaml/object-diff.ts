/**
 * Objects as a person compares them: without what the server keeps for itself (managedFields,
 * resourceVersion, generation, uid, creationTimestamp, selfLink, status), as YAML, and the
 * unified diff of two of them (jsdiff, 3 lines of context like `diff -u` and `kubectl diff`).
 *
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management
 * @see https://github.com/kpdecker/jsdiff#api (createTwoFilesPatch)
 */
import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';

/** metadata fields the server writes on every change: noise in a diff and in an editor. */
const METADATA_NOISE = [
  'managedFields',
  'resourceVersion',
  'generation',
  'uid',
  'creationTimestamp',
  'selfLink',
] as const;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A copy without server bookkeeping and status; the input is not changed. */
export function withoutNoise(object: unknown): Json {
  if (!isObject(object)) return {};
  const { status: _status, ...rest } = structuredClone(object);
  const metadata = rest['metadata'];
  if (isObject(metadata)) {
    const kept = Object.entries(metadata).filter(
      ([key, value]) =>
        !(METADATA_NOISE as readonly string[]).includes(key) &&
        !(key === 'annotations' && isObject(value) && Object.keys(value).length === 0),
    );
    rest['metadata'] = Object.fromEntries(kept);
  }
  return rest;
}

/** YAML as the editor shows objects (block style, no line folding). */
export function toYaml(object: unknown): string {
  return stringify(object, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** `--- live` / `+++ dry run` unified diff of two objects' YAML; '' when they are equal. */
export function objectDiff(
  before: unknown,
  after: unknown,
  labels: { before: string; after: string } = { before: 'live', after: 'dry run' },
): string {
  const a = before === undefined ? '' : toYaml(withoutNoise(before));
  const b = after === undefined ? '' : toYaml(withoutNoise(after));
  if (a === b) return '';
  const patch = createTwoFilesPatch(labels.before, labels.after, a, b, undefined, undefined, {
    context: 3,
  });
  // The first line is jsdiff's "Index:"/"====" header; keep from the --- line on.
  return patch.slice(patch.indexOf('--- '));
}
