/**
 * What a run was started with, stored as JSON in `runs.spec` so Resume (even after an app
 * restart) rebuilds exactly the same plan under the same run id. `auto` is resolved before
 * it is stored: a resumed run never changes its mind about the sandbox.
 */
import type { ArtifactsView, RunKind } from './types.ts';

export type ConcreteSandbox = 'kata-clh' | 'kata-qemu' | 'kata-fc' | 'gvisor';

/** The cluster as it should be: members, sandbox, version, artifacts, server address. */
export interface ClusterShape {
  servers: string[];
  agents: string[];
  sandbox: ConcreteSandbox;
  k3sVersion: string;
  artifacts: ArtifactsView;
  /** Address of the first server, as the desktop and the other hosts reach it. */
  serverAddress: string;
}

export type RunSpec =
  | { kind: 'install'; shape: ClusterShape }
  /** `shape` already includes `added`; only their steps run (join only). */
  | { kind: 'add-hosts'; shape: ClusterShape; added: string[] }
  | { kind: 'remove-host'; shape: ClusterShape; hostId: string }
  | { kind: 'reset'; hostIds: string[] };

export function runKind(spec: RunSpec): RunKind {
  return spec.kind;
}

/** The hosts a run needs connections to. */
export function runHosts(spec: RunSpec): string[] {
  switch (spec.kind) {
    case 'install':
    case 'add-hosts':
      return [...spec.shape.servers, ...spec.shape.agents];
    case 'remove-host':
      return [spec.hostId];
    case 'reset':
      return spec.hostIds;
  }
}
