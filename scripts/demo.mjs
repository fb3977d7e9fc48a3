// The demo cluster for `npm start` / `npm run serve` (DESIGN.md §1: product code never imports
// testkit, so the start script runs kube-sim as its own process): spawns `testkit demo`, waits
// for its ready line, and hands back the kubeconfig it wrote. The app then imports that file as
// the demo cluster (env NODELESS_DEMO_KUBECONFIG). The demo reseeds at every start, so its
// kubeconfig lives in a private temporary directory that goes when the demo stops.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const READY = /^kube-sim ready: (https:\/\/\S+)$/m;

/**
 * Starts the demo cluster. Resolves `{ kubeconfig, url, stop }` once it serves, or rejects
 * with its stderr when it exits or stays silent for `timeoutMs`.
 *
 * @param {{ repo: string, timeoutMs?: number, env?: NodeJS.ProcessEnv }} options
 * @returns {Promise<{ kubeconfig: string, url: string, pid: number, stop(): Promise<void> }>}
 */
export function startDemoCluster({ repo, timeoutMs = 60_000, env = process.env }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'nodeless-demo-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  const tsx = path.join(repo, 'node_modules', '.bin', 'tsx');
  // stdin is a pipe the demo watches (--exit-with-stdin): if this process dies without
  // cleaning up, the pipe closes and the demo stops instead of lingering.
  const child = spawn(
    tsx,
    ['testkit/src/cli/main.ts', 'demo', '--kubeconfig', kubeconfig, '--exit-with-stdin'],
    { cwd: repo, env, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const gone = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await gone;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the demo cluster did not start within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    const early = (code, signal) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      reject(new Error(`the demo cluster exited (code ${code}, signal ${signal})\n${stderr}`));
    };
    child.once('exit', early);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = READY.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.off('exit', early);
      // Nothing more is read from stdout; keep draining it so the demo never blocks on a pipe.
      child.stdout.resume();
      resolve({ kubeconfig, url: m[1], pid: child.pid ?? 0, stop });
    });
  });
}
