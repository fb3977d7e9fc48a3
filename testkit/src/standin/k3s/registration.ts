/**
 * What a node reports when it registers: its host's facts, its role, labels, taints and
 * `k3s.io/node-args`, and the runtime handlers its containerd serves.
 *
 * @see https://kubernetes.io/docs/reference/node/node-status/
 */
import { list, nodeArgs, str, type K3sConfig } from './config.ts';
import { gatherFacts } from './facts.ts';
import { isHa } from './files.ts';
import { importedImages } from './node-runtime.ts';
import type { NodeRegistration } from './nodes.ts';

export function registration(
  role: 'server' | 'agent',
  config: K3sConfig,
  runtimeHandlers: readonly string[],
): NodeRegistration {
  return {
    role,
    etcd: role === 'server' && isHa(config),
    facts: gatherFacts(runtimeHandlers, str(config, 'node-name')),
    labels: list(config, 'node-label'),
    taints: list(config, 'node-taint'),
    nodeArgs: nodeArgs(role, config),
    nodeIp: list(config, 'node-ip')[0],
    images: importedImages(),
  };
}
