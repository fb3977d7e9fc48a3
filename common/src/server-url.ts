/**
 * The Kubernetes API URL of a k3s server: `https://<address>:6443`, an IPv6 literal in brackets
 * (`https://[fd00::5]:6443`). Joining nodes, the exported kubeconfig and the install record all
 * use it.
 *
 * @see https://docs.k3s.io/installation/requirements#networking — 6443/tcp, the API server
 * @see https://www.rfc-editor.org/rfc/rfc3986#section-3.2.2 — IP literals in brackets
 * @see ../../../shared/DESIGN.md §4 step 8 — server URL `https://<server>:6443`
 */

/** The port k3s's API server listens on. */
export const K3S_API_PORT = 6443;

/** `https://10.0.0.5:6443`; IPv6 literals bracketed (an already bracketed one is kept). */
export function serverUrl(address: string, port: number = K3S_API_PORT): string {
  const host = address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
  return `https://${host}:${port}`;
}
