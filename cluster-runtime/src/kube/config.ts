/**
 * A client-node `KubeConfig` from kubeconfig text: no file is read, nothing under `~/.kube` is
 * touched (the desktop holds kubeconfigs encrypted and hands them over as text).
 *
 * @see https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/
 */
import { KubeConfig } from '@kubernetes/client-node';

/** A KubeConfig from kubeconfig YAML text; reads no file and writes nothing. */
export function kubeConfigFromText(text: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(text);
  if (!kc.getCurrentCluster())
    throw new Error('the kubeconfig has no current context pointing at a cluster');
  return kc;
}
