/**
 * The process `testkit control-plane up` leaves running: it holds the control plane (and its
 * egress proxy) until SIGTERM/SIGINT, then stops every component. State lives in
 * `<stateDir>/state.json` so `down` (another process) finds it.
 *
 * Usage (spawned by the CLI): `node --import tsx daemon.ts <stateDir> <json options>`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { errorFile, stateFile, type DaemonState } from './daemon-state.ts';
import { startControlPlane, type ControlPlaneOptions } from './index.ts';

async function main(): Promise<void> {
  const [stateDir, json] = process.argv.slice(2);
  if (!stateDir || !json) throw new Error('usage: daemon.ts <stateDir> <options json>');
  const options = JSON.parse(json) as ControlPlaneOptions;
  try {
    const cp = await startControlPlane({ ...options, dataDir: path.join(stateDir, 'data') });
    const state: DaemonState = {
      pid: process.pid,
      url: cp.url,
      dataDir: cp.dataDir,
      kubeconfigPath: cp.kubeconfigPath,
      components: cp.pids(),
    };
    fs.writeFileSync(stateFile(stateDir), JSON.stringify(state, null, 2), { mode: 0o600 });
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      cp.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  } catch (e) {
    fs.writeFileSync(errorFile(stateDir), e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}

void main();
