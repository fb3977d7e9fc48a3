/**
 * A test backend with the real control plane imported as cluster "lab" (through the API, as a
 * user imports a kubeconfig): what the API-level integration files of the workspace share.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { startControlPlane, type ControlPlane } from '../../testkit/src/control-plane/index.ts';
import type { RunningBackend } from '../src/backend.ts';
import { client, startTestBackend, tempDir } from './support.ts';

export interface LabBackend {
  cp: ControlPlane;
  backend: RunningBackend;
  clusterId: string;
  dir: string;
  stop(): Promise<void>;
}

export async function startLabBackend(prefix: string): Promise<LabBackend> {
  const cp = await startControlPlane({ nodes: 1, metrics: false });
  const dir = tempDir(prefix);
  const backend = await startTestBackend({
    dataDir: path.join(dir, 'data'),
    workspace: { demoKubeconfig: null },
  });
  const context = (parse(cp.kubeconfig) as { 'current-context': string })['current-context'];
  const { id } = await client(backend).workspace.importKubeconfig.mutate({
    name: 'lab',
    text: cp.kubeconfig,
    context,
  });
  return {
    cp,
    backend,
    clusterId: id,
    dir,
    async stop() {
      await backend.close();
      await cp.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
