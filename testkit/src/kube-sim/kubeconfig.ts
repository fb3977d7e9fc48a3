/**
 * Kubeconfig YAML for kube-sim: one cluster/user/context named `kube-sim`, credentials inline.
 *
 * @see https://kubernetes.io/docs/reference/config-api/kubeconfig.v1/
 */
import YAML from 'yaml';

export interface KubeconfigInput {
  server: string;
  caPem: string;
  /** Client certificate credentials… */
  certPem?: string;
  keyPem?: string;
  /** …or a bearer token. */
  token?: string;
  namespace?: string;
  name?: string;
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

export function kubeconfigYaml(k: KubeconfigInput): string {
  const name = k.name ?? 'kube-sim';
  const user: Record<string, string> = {};
  if (k.token !== undefined) user['token'] = k.token;
  if (k.certPem !== undefined) user['client-certificate-data'] = b64(k.certPem);
  if (k.keyPem !== undefined) user['client-key-data'] = b64(k.keyPem);
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: k.server, 'certificate-authority-data': b64(k.caPem) } }],
    users: [{ name, user }],
    contexts: [
      {
        name,
        context: {
          cluster: name,
          user: name,
          ...(k.namespace === undefined ? {} : { namespace: k.namespace }),
        },
      },
    ],
    'current-context': name,
    preferences: {},
  });
}
