import { describe, expect, it, vi } from 'vitest';
import type { KubeClient } from '../client.ts';
import {
  namespaceKubeconfig,
  reservedNamespaceProblem,
  ReservedNamespaceError,
} from './kubeconfig-export.ts';

describe('tenant namespaces', () => {
  it.each(['kube-system', 'kube-public', 'kube-node-lease', 'kube-anything', 'nodeless-system'])(
    '%s is reserved for the system',
    (namespace) => {
      expect(reservedNamespaceProblem(namespace)).toMatch(/is reserved for the system/);
    },
  );

  it.each(['default', 'team-a', 'kubeflow', 'nodeless', 'my-kube-apps'])(
    '%s may be a tenant namespace',
    (namespace) => {
      expect(reservedNamespaceProblem(namespace)).toBeUndefined();
    },
  );

  it('refuses a tenant kubeconfig for a reserved namespace before touching the cluster', async () => {
    const client = vi.fn<(kubeconfig: string) => KubeClient>();
    await expect(
      namespaceKubeconfig({
        adminKubeconfig: 'unused',
        clusterName: 'lab',
        namespace: 'kube-system',
        client,
      }),
    ).rejects.toBeInstanceOf(ReservedNamespaceError);
    expect(client).not.toHaveBeenCalled();
  });
});
