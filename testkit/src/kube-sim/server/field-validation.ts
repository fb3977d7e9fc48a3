/**
 * Server-side field validation (`fieldValidation` query parameter) as kube-apiserver does it:
 * - create, update and non-apply patches: `Strict` refuses unknown fields with a 400
 *   BadRequest `<Kind> in version "<v>" cannot be handled as a <Kind>: strict decoding
 *   error: unknown field "spec.foo", …`; `Warn` (the default) drops them and says so in a
 *   `Warning: 299 - "unknown field \"spec.foo\""` header per field; `Ignore` drops them;
 * - server-side apply refuses unknown fields whatever `fieldValidation` says (its typed
 *   conversion of the patch fails; kube-apiserver answers 500 `failed to create typed patch
 *   object (…): .spec.foo: field not declared in schema`);
 * - any other value is a 422 naming the options kind.
 * Only kinds whose schema kube-sim knows completely are checked (../openapi/field-validation.ts).
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation
 * @see https://kubernetes.io/blog/2020/09/03/warnings/
 */
import { fieldValidationOf, unknownFields } from '../openapi/field-validation.ts';
import type { KubeObject } from '../store/types.ts';
import type { Call } from './context.ts';
import { HttpError } from './status.ts';

type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions';

function directive(c: Call, options: OptionsKind) {
  const given = c.url.searchParams.get('fieldValidation');
  const value = fieldValidationOf(given);
  if (value === undefined) {
    const message = `Unsupported value: "${given ?? ''}": supported values: "", "Ignore", "Strict", "Warn"`;
    throw new HttpError(
      422,
      'Invalid',
      `${options}.meta.k8s.io "" is invalid: fieldValidation: ${message}`,
      {
        group: 'meta.k8s.io',
        kind: options,
        causes: [{ reason: 'FieldValueNotSupported', message, field: 'fieldValidation' }],
      },
    );
  }
  return value;
}

/** Adds a `Warning` header, keeping those already set (deprecation warnings). */
export function addWarning(c: Call, text: string): void {
  const value = `299 - ${JSON.stringify(text)}`;
  const previous = c.res.getHeader('Warning');
  const list =
    previous === undefined ? [] : Array.isArray(previous) ? previous : [String(previous)];
  c.res.setHeader('Warning', [...list, value]);
}

/** Create, update and patch results: refuse (Strict), or drop and warn (Warn) or drop (Ignore). */
export function checkFields(c: Call, o: KubeObject, options: OptionsKind): void {
  const mode = directive(c, options);
  const unknown = unknownFields(c.ri, o);
  if (unknown.length === 0) return;
  if (mode === 'Strict') {
    const version = c.apiVersion.split('/').pop() ?? c.apiVersion;
    const fields = unknown.map((u) => `unknown field "${u.path}"`).join(', ');
    throw new HttpError(
      400,
      'BadRequest',
      `${c.ri.kind} in version "${version}" cannot be handled as a ${c.ri.kind}: strict decoding error: ${fields}`,
    );
  }
  for (const u of unknown) {
    if (mode === 'Warn') addWarning(c, `unknown field "${u.path}"`);
    u.drop();
  }
}

/** Server-side apply: unknown fields are refused whatever fieldValidation says. */
export function refuseUnknownForApply(c: Call, applied: KubeObject): void {
  directive(c, 'PatchOptions');
  const unknown = unknownFields(c.ri, applied);
  if (unknown.length === 0) return;
  const lines = unknown.map((u) => `${u.applyPath}: field not declared in schema`);
  const detail =
    lines.length === 1 ? (lines[0] ?? '') : `errors:\n${lines.map((l) => `  ${l}`).join('\n')}`;
  const ns = c.ri.namespaced ? (c.info.namespace ?? '') : '';
  const name = applied.metadata.name ?? c.info.name ?? '';
  throw new HttpError(
    500,
    '',
    `failed to create typed patch object (${ns}/${name}; ${c.apiVersion}, Kind=${c.ri.kind}): ${detail}`,
  );
}
