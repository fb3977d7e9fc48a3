/**
 * What the API server said about one object, read into the fields it names, so the editor can
 * mark their lines. The server's refusals come in a few shapes:
 * - 422 Invalid: `details.causes[].field` (`spec.replicas`) with a message per cause;
 * - 400 BadRequest from strict field validation (create/update):
 *   `strict decoding error: unknown field "spec.foo", unknown field "spec.bar"`;
 * - server-side apply's typed conversion of the patch (kube-apiserver answers 500 for it,
 *   whatever fieldValidation says): `failed to create typed patch object (…): .spec.foo: field
 *   not declared in schema`, or `errors:` followed by one `  .path: message` line per field;
 * - 409 Conflict with `FieldManagerConflict` causes (`conflict with "helm"`, field
 *   `.spec.replicas`) — an SSA conflict, forced with "Apply anyway";
 * - 409 Conflict "the object has been modified" — a failed resourceVersion precondition;
 * - admission (403 Forbidden from a ValidatingAdmissionPolicy or Pod Security, quota): a
 *   message that names field paths in words; the first path the document has is used.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/status/
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts
 */
import { KubeApiError } from '@nodeless/cluster-runtime';

export interface ServerFieldProblem {
  /** As the server wrote it (either path syntax), absent when it named none. */
  field?: string;
  message: string;
}

export type ServerVerdict =
  | { kind: 'problems'; problems: ServerFieldProblem[] }
  | { kind: 'conflicts'; conflicts: { field: string; manager: string }[] }
  | { kind: 'modified'; message: string };

interface StatusBody {
  message?: string;
  reason?: string;
  details?: { causes?: { reason?: string; message?: string; field?: string }[] };
}

const statusOf = (error: KubeApiError): StatusBody =>
  typeof error.body === 'object' && error.body !== null ? (error.body as StatusBody) : {};

const TYPED_PATCH = /^failed to create typed patch object \([^)]*\): ([\s\S]*)$/;

/** `.spec.foo: field not declared in schema` lines of an SSA conversion error. */
function typedPatchProblems(rest: string): ServerFieldProblem[] {
  const lines = rest.startsWith('errors:') ? rest.split('\n').slice(1) : [rest];
  return lines
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => {
      const m = /^(\.\S+): (.*)$/.exec(l);
      return m ? { field: m[1] ?? '', message: m[2] ?? l } : { message: l };
    });
}

/** `unknown field "spec.foo"` and `duplicate field "x"` items of a strict decoding error. */
function strictDecodingProblems(message: string): ServerFieldProblem[] {
  const at = message.indexOf('strict decoding error: ');
  if (at < 0) return [];
  const items = message.slice(at + 'strict decoding error: '.length).split(/, (?=\w+ field ")/);
  return items.map((item) => {
    const m = /^(unknown|duplicate) field "(.*)"$/.exec(item.trim());
    return m ? { field: m[2] ?? '', message: `${m[1] ?? ''} field` } : { message: item };
  });
}

/** Field-like paths in an admission message (`spec.template.spec.hostNetwork`). */
const FIELD_IN_WORDS = /\b((?:spec|metadata|data|stringData)(?:\.[A-Za-z_][\w-]*|\[[^\]\s]*\])+)/g;

export function fieldPathsInWords(message: string): string[] {
  return [...message.matchAll(FIELD_IN_WORDS)].map((m) => m[1] ?? '').filter((p) => p !== '');
}

/** Reads a refusal of one object. Not a KubeApiError: undefined (the caller rethrows). */
export function readServerError(error: unknown): ServerVerdict | undefined {
  if (!(error instanceof KubeApiError)) return undefined;
  const status = statusOf(error);
  const message = status.message ?? error.message;
  const causes = status.details?.causes ?? [];
  if (error.code === 409) {
    const conflicts = causes
      .filter((c) => c.reason === 'FieldManagerConflict' && c.field)
      .map((c) => ({
        field: c.field ?? '',
        manager: /conflict with "([^"]*)"/.exec(c.message ?? '')?.[1] ?? 'another manager',
      }));
    if (conflicts.length > 0) return { kind: 'conflicts', conflicts };
    if (/has been modified/.test(message)) return { kind: 'modified', message };
  }
  const typed = TYPED_PATCH.exec(message);
  if (typed) return { kind: 'problems', problems: typedPatchProblems(typed[1] ?? '') };
  const strict = strictDecodingProblems(message);
  if (strict.length > 0) return { kind: 'problems', problems: strict };
  const withField = causes.filter((c) => c.field);
  if (withField.length > 0) {
    return {
      kind: 'problems',
      problems: withField.map((c) => ({ field: c.field ?? '', message: c.message ?? message })),
    };
  }
  return { kind: 'problems', problems: [{ message }] };
}
