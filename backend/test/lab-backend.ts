/**
 * A test backend with the real control plane imported as cluster "lab" (through the API, as a
 * user imports a kubeconfig): what the API-level integration files of the workspace share.
 * The backend can be stopped and started again on the same data directory (the metering tests:
 * what happened in the cluster while the desktop was closed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  startControlPlane,
  type ControlPlane,
  type ControlPlaneOptions,
} from '../../testkit/src/control-plane/index.ts';
import type { RunningBackend } from '../src/backend.ts';
import { client, startTestBackend, tempDir } from './support.ts';

export interface LabBackend {
  cp: ControlPlane;
  /** The running backend (a new one after {@link LabBackend.startBackend}). */
  readonly backend: RunningBackend;
  clusterId: string;
  dir: string;
  /** Closes the backend; the control plane runs on. */
  stopBackend(): Promise<void>;
  /** Starts a backend again on the same data directory (the cluster stays imported). */
  startBackend(): Promise<void>;
  stop(): Promise<void>;
}

export interface LabOptions {
  /** Default: one node, no metrics-server. */
  controlPlane?: ControlPlaneOptions;
}

export async function startLabBackend(
  prefix: string,
  options: LabOptions = {},
): Promise<LabBackend> {
  const cp = await startControlPlane(options.controlPlane ?? { nodes: 1, metrics: false });
  const dir = tempDir(prefix);
  const open = () =>
    startTestBackend({ dataDir: path.join(dir, 'data'), workspace: { demoKubeconfig: null } });
  let backend: RunningBackend | undefined = await open();
  const context = (parse(cp.kubeconfig) as { 'current-context': string })['current-context'];
  const { id } = await client(backend).workspace.importKubeconfig.mutate({
    name: 'lab',
    text: cp.kubeconfig,
    context,
  });
  const stopBackend = async () => {
    const running = backend;
    backend = undefined;
    await running?.close();
  };
  return {
    cp,
    get backend(): RunningBackend {
      if (!backend) throw new Error('the lab backend is stopped');
      return backend;
    },
    clusterId: id,
    dir,
    stopBackend,
    async startBackend() {
      if (!backend) backend = await open();
    },
    async stop() {
      await stopBackend();
      await cp.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
