/**
 * Times as the Kubernetes API and our CSVs write them: RFC 3339 in UTC, whole seconds, `Z`
 * (metav1.Time's format, `2026-12-02T10:00:00Z`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc3339
 * @see https://pkg.go.dev/k8s.io/apimachinery/pkg/apis/meta/v1#Time.MarshalJSON
 */

/** `epochSeconds` as RFC 3339 UTC without fractions (a fraction is dropped, not rounded). */
export function rfc3339(epochSeconds: number): string {
  return new Date(Math.floor(epochSeconds) * 1000).toISOString().replace('.000Z', 'Z');
}
