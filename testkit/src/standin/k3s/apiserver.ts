/**
 * The seam between the stand-in k3s server and the Kubernetes API behind its supervisor.
 * k3s runs kube-apiserver on 127.0.0.1:6444 behind the :6443 supervisor; the stand-in runs
 * kube-sim there today. The real control plane (DESIGN.md §6) runs instead when the bundle carries
 * it; the rest of the server only listens, proxies and registers nodes through
 * {@link ApiServerBackend}.
 *
 * @see https://docs.k3s.io/architecture
 */
import fs from 'node:fs';
import path from 'node:path';
import { startKubeSim } from '../../kube-sim/index.ts';
import type { CertPair } from '../../pki/pki.ts';
import {
  controlPlaneDir,
  standinBinaryName,
  startControlPlaneBackend,
} from './control-plane-backend.ts';
import { markStaleNodes, upsertNode, type NodeRegistration } from './nodes.ts';

/** What the stand-in server needs from the API server it fronts. */
export interface ApiServerBackend {
  /** Shown in logs, e.g. "kube-sim". */
  readonly name: string;
  /** Loopback HTTPS port of the API server. */
  readonly port: number;
  /** CA of its serving certificate. */
  readonly caPem: string;
  /** A client certificate the API server accepts for `user` in `groups`. */
  issueClientCert(user: string, groups: string[]): { certPem: string; keyPem: string };
  /** Registers or refreshes a Node as its kubelet would (Ready, heartbeat now). */
  upsertNode(reg: NodeRegistration): void | Promise<void>;
  /** Node lifecycle controller: nodes silent for `graceMs` become Ready=Unknown; returns them. */
  markStaleNodes(now: Date, graceMs: number): string[];
  stop(): Promise<void>;
}

/**
 * The environment variable the self-extracting stand-in k3s sets to the directory holding the
 * control plane binaries it unpacked (absent when the bundle carries none).
 */
export const BIN_DIR_ENV = 'NODELESS_STANDIN_BIN_DIR';

/** True when `dir` holds the control plane binaries. */
export function hasControlPlane(dir: string | undefined): dir is string {
  return dir !== undefined && fs.existsSync(path.join(dir, standinBinaryName('kube-apiserver')));
}

/**
 * The real control plane when the bundle carried its binaries (see control-plane-backend.ts),
 * else kube-sim on 127.0.0.1:`port`, its state under `stateDir`.
 */
export async function startApiServer(o: {
  port: number;
  stateDir: string;
  binDir?: string;
  address: string;
  clientCa: CertPair;
  sans: readonly string[];
  nodeMonitorGracePeriod?: string;
}): Promise<ApiServerBackend> {
  if (hasControlPlane(o.binDir)) {
    return startControlPlaneBackend({
      binDir: o.binDir,
      dataDir: controlPlaneDir(path.dirname(path.dirname(o.stateDir))),
      port: o.port,
      address: o.address,
      clientCa: o.clientCa,
      sans: o.sans,
      ...(o.nodeMonitorGracePeriod ? { nodeMonitorGracePeriod: o.nodeMonitorGracePeriod } : {}),
    });
  }
  const sim = await startKubeSim({
    host: '127.0.0.1',
    port: o.port,
    nodes: 0,
    sim: true,
    stateDir: o.stateDir,
  });
  return {
    name: 'kube-sim',
    port: sim.port,
    caPem: sim.caPem,
    issueClientCert: (u, g) => sim.issueClientCert(u, g),
    upsertNode: (reg) => void upsertNode(sim.store, reg),
    markStaleNodes: (now, grace) => markStaleNodes(sim.store, now, grace),
    stop: () => sim.stop(),
  };
}
