/**
 * The k3s releases Nodeless installs: v1.36 and newer. The serverless layer's admission is
 * MutatingAdmissionPolicy, GA (served as `admissionregistration.k8s.io/v1`, on by default) only
 * from Kubernetes 1.36; on 1.34–1.35 it is beta behind a feature gate and a runtime-config flag,
 * and older releases do not have it at all, so tenant pods would run unsized and outside their
 * sandbox. Every v1.36 build also embeds containerd 2 (config version 3), the only containerd
 * template shape Nodeless writes.
 *
 * @see https://github.com/kubernetes/enhancements/tree/master/keps/sig-api-machinery/3962-mutating-admission-policies — stable in v1.36
 * @see https://kubernetes.io/docs/reference/access-authn-authz/mutating-admission-policy/
 * @see https://docs.k3s.io/release-notes/v1.36.X — containerd v2.x in every v1.36 release
 */

/** The k3s release installed by default (the stable channel's v1.36 at the time of pinning). */
export const PINNED_K3S_VERSION = 'v1.36.3+k3s1';

/** Oldest supported Kubernetes minor (major is 1). */
export const MIN_K3S_MINOR = 36;

/** `v1.36.3+k3s1`, `v1.36.3+k3s1-STAND-IN` → major/minor/patch; undefined when unreadable. */
export function parseK3sVersion(
  version: string,
): { major: number; minor: number; patch: number } | undefined {
  const m = /^v(\d+)\.(\d+)\.(\d+)\+k3s\d+/.exec(version.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}

/**
 * Why `version` cannot be installed, as a sentence that fits after a field name
 * (`spec.k3s.version: …`), or undefined when it can.
 */
export function k3sVersionProblem(version: string): string | undefined {
  const v = parseK3sVersion(version);
  if (!v) return `"${version}" is not a k3s release tag (like ${PINNED_K3S_VERSION})`;
  if (v.major === 1 && v.minor < MIN_K3S_MINOR) {
    return `k3s ${version} is older than v1.${MIN_K3S_MINOR}, which Nodeless needs (MutatingAdmissionPolicy is GA from Kubernetes 1.${MIN_K3S_MINOR}); use ${PINNED_K3S_VERSION}`;
  }
  return undefined;
}
