/**
 * What an API server's refusal says, read from its `Status` body: the causes it names by field
 * (a 422 Invalid lists `details.causes[]` with `field: "spec.template.spec.containers[0].image"`),
 * and the field-manager conflicts of a server-side apply (a 409 whose causes have reason
 * `FieldManagerConflict`, `field: ".spec.replicas"` and a message naming the manager:
 * `conflict with "kubectl" using apps/v1`, `conflict with "kubectl" with subresource "scale"
 * using apps/v1` after `kubectl scale`). Admission refusals (quota, Pod Security, a
 * ValidatingAdmissionPolicy's message) come as one message without causes.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/status/
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts
 */
import { KubeApiError } from '@nodeless/cluster-runtime';

export interface StatusCause {
  /** The object path the server named (`spec.replicas`), when it named one. */
  field?: string;
  message: string;
}

export interface FieldManagerConflict {
  /** The conflicting path (`.spec.replicas`, `.spec.template.spec.containers[name="web"].image`). */
  path: string;
  /** The manager that owns it (`kubectl`, `kubectl-client-side-apply`, `helm`…). */
  manager: string;
  /** The subresource it wrote through (`scale` for `kubectl scale`), when not the object. */
  subresource?: string;
}

export interface Refusal {
  code: number;
  reason: string;
  /** The server's whole message. */
  message: string;
  causes: StatusCause[];
  conflicts: FieldManagerConflict[];
}

interface StatusBody {
  message?: unknown;
  details?: { causes?: unknown };
}

const MANAGER = /conflict with "((?:[^"\\]|\\.)*)"(?: with subresource "((?:[^"\\]|\\.)*)")?/;

/** The refusal in `error`, or undefined when it is not an answer of the API server. */
export function refusalOf(error: unknown): Refusal | undefined {
  if (!(error instanceof KubeApiError)) return undefined;
  const body = (
    typeof error.body === 'object' && error.body !== null ? error.body : {}
  ) as StatusBody;
  const message = typeof body.message === 'string' ? body.message : error.message;
  const rawCauses = Array.isArray(body.details?.causes) ? (body.details.causes as unknown[]) : [];
  const causes: StatusCause[] = [];
  const conflicts: FieldManagerConflict[] = [];
  for (const raw of rawCauses) {
    if (typeof raw !== 'object' || raw === null) continue;
    const c = raw as { reason?: unknown; message?: unknown; field?: unknown };
    const text = typeof c.message === 'string' ? c.message : '';
    const field = typeof c.field === 'string' && c.field !== '' ? c.field : undefined;
    if (c.reason === 'FieldManagerConflict' && field) {
      const m = MANAGER.exec(text);
      conflicts.push({
        path: field,
        manager: m?.[1] ?? 'another field manager',
        ...(m?.[2] ? { subresource: m[2] } : {}),
      });
    } else {
      causes.push({ ...(field ? { field } : {}), message: text || message });
    }
  }
  return { code: error.code, reason: error.reason, message, causes, conflicts };
}
