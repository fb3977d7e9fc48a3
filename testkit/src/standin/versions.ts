/**
 * Versions the stand-ins claim. Every version string carries `STAND-IN` so nobody mistakes a
 * test double for the real thing (DESIGN.md §6).
 *
 * @see https://github.com/k3s-io/k3s/releases
 * @see https://github.com/kata-containers/kata-containers/releases
 */
export const K3S_VERSION = 'v1.33.4+k3s1';
export const KATA_VERSION = '3.18.0';
export const STAND_IN = 'STAND-IN';
/** containerd as k3s 1.33 bundles it (shown in Node.status.nodeInfo). */
export const CONTAINERD_VERSION = 'containerd://2.0.5-k3s2';
