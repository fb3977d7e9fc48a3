/**
 * Immutable ConfigMaps and Secrets, as kube-apiserver's ValidateConfigMapUpdate /
 * ValidateSecretUpdate refuse them: once `immutable: true` is stored, an update may neither
 * unset it nor change `data` or `binaryData` (422 Invalid, "field is immutable when `immutable`
 * is set", one FieldValueForbidden cause per field in upstream's order); metadata may change and
 * deletion remains. Secrets have no `binaryData`; their `stringData` is folded into `data` by
 * the defaults before this runs, as upstream converts it before validating. The caller checks
 * the resourceVersion first (Store.Update answers 409 before validating). The meter seals full
 * ledger chunks this way.
 *
 * @see https://kubernetes.io/docs/concepts/configuration/configmap/#configmap-immutable
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go (ValidateConfigMapUpdate)
 */
import type { KubeObject } from '../store/types.ts';
import { HttpError } from './status.ts';

const FORBIDDEN = 'Forbidden: field is immutable when `immutable` is set';

export function validateImmutableUpdate(next: KubeObject, old: KubeObject): void {
  if (next.kind !== 'ConfigMap' && next.kind !== 'Secret') return;
  if (old['immutable'] !== true) return;
  const fields: string[] = [];
  if (next['immutable'] !== true) fields.push('immutable');
  // An absent map and `{}` are the same here: kube-apiserver stores an empty map as absent, so
  // rewriting a sealed chunk with `data: {}` is accepted there too (parity test).
  const same = (k: string) => JSON.stringify(next[k] ?? {}) === JSON.stringify(old[k] ?? {});
  if (!same('data')) fields.push('data');
  if (!same('binaryData')) fields.push('binaryData');
  if (fields.length === 0) return;
  const name = next.metadata.name ?? '';
  const causes = fields.map((field) => ({
    reason: 'FieldValueForbidden',
    message: FORBIDDEN,
    field,
  }));
  const summary = fields.map((f) => `${f}: ${FORBIDDEN}`).join(', ');
  throw new HttpError(
    422,
    'Invalid',
    `${next.kind} "${name}" is invalid: ${fields.length > 1 ? `[${summary}]` : summary}`,
    { name, kind: next.kind, causes },
  );
}
