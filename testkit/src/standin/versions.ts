/**
 * Versions the stand-ins claim. Every version string carries `STAND-IN` so nobody mistakes a
 * test double for the real thing (DESIGN.md §6).
 *
 * @see https://github.com/k3s-io/k3s/releases
 * @see https://github.com/kata-containers/kata-containers/releases
 * @see https://github.com/google/gvisor/releases
 */
export const K3S_VERSION = 'v1.33.4+k3s1';
export const KATA_VERSION = '3.18.0';
export const STAND_IN = 'STAND-IN';
/** containerd as k3s 1.33 bundles it (shown in Node.status.nodeInfo). */
export const CONTAINERD_VERSION = 'containerd://2.0.5-k3s2';
/** gVisor release the `runsc` stand-in claims (gVisor tags releases `release-YYYYMMDD.N`). */
export const GVISOR_VERSION = 'release-20250811.0';
/** OCI runtime spec version `runsc --version` reports on its second line. */
export const OCI_SPEC_VERSION = '1.1.0-rc.1';
