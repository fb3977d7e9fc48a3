/**
 * Versions the stand-ins claim. Every version string carries `STAND-IN` so nobody mistakes a
 * test double for the real thing (DESIGN.md §6).
 *
 * @see https://github.com/k3s-io/k3s/releases
 * @see https://github.com/kata-containers/kata-containers/releases
 * @see https://github.com/google/gvisor/releases
 */
/** k3s v1.36 (MutatingAdmissionPolicy GA); the product pins the same release. */
export const K3S_VERSION = 'v1.36.3+k3s1';
export const KATA_VERSION = '3.18.0';
export const STAND_IN = 'STAND-IN';
/**
 * containerd as k3s v1.36.3 bundles it (shown in Node.status.nodeInfo): v1.36.2 moved to
 * v2.3.2-k3s2, and the bump to v2.3.4 landed after v1.36.3 (k3s#14512).
 */
export const CONTAINERD_VERSION = 'containerd://2.3.2-k3s2';
/** gVisor release the `runsc` stand-in claims (gVisor tags releases `release-YYYYMMDD.N`). */
export const GVISOR_VERSION = 'release-20250811.0';
/** OCI runtime spec version `runsc --version` reports on its second line. */
export const OCI_SPEC_VERSION = '1.1.0-rc.1';
