/**
 * containerd as k3s runs it: k3s renders `config.toml` from its templates, starts
 * containerd with its output sent to `agent/containerd/containerd.log` (not k3s's journal),
 * and waits for the CRI service before the kubelet can register the node. The stand-in
 * starts no containerd; it loads the rendered config exactly as containerd would and
 * reproduces the outcome:
 *
 * - config cannot be loaded (invalid TOML, a duplicate table, a drop-in newer than the
 *   root): containerd prints `containerd: <error>` and exits 1; k3s logs `containerd
 *   exited: exit status 1` and exits 1 (systemd restarts it every 5 s, failing again);
 * - CRI runtime plugin refuses its config (a `default_runtime_name` with no runtime table):
 *   containerd logs `failed to load plugin` and runs on without CRI; k3s waits forever
 *   (`Waiting for containerd startup: … unknown service runtime.v1.RuntimeService`), and
 *   the node is never registered;
 * - otherwise the CRI serves one runtime handler per `runtimes` table.
 *
 * @see https://github.com/k3s-io/k3s/blob/main/pkg/agent/containerd/containerd.go (Run: log file, "containerd exited", os.Exit(1))
 * @see https://github.com/k3s-io/k3s/blob/main/pkg/agent/cri/cri.go (WaitForService)
 * @see https://github.com/containerd/containerd/blob/main/cmd/containerd/server/server.go ("failed to load plugin")
 */
import fs from 'node:fs';
import path from 'node:path';
import { logLine } from '../../log.ts';
import { CONTAINERD_VERSION } from '../../versions.ts';
import { containerdPaths, type BaseTemplateData } from './base.ts';
import { ConfigLoadError, criRuntime, loadConfig, type ContainerdLogLine } from './load.ts';
import { writeContainerdConfig } from './template.ts';

export type ContainerdOutcome =
  /** CRI up: the handlers the kubelet will advertise in `status.runtimeHandlers`. */
  | { readonly state: 'running'; readonly handlers: string[] }
  /** containerd exited 1 with `error` (k3s exits 1 after it). */
  | { readonly state: 'exited'; readonly error: string }
  /** containerd runs without its CRI plugins (k3s waits for CRI forever). */
  | { readonly state: 'no-cri'; readonly error: string };

/** The gRPC status k3s's CRI probe gets from a containerd without CRI plugins. */
export const NO_CRI_ERROR =
  'rpc error: code = Unimplemented desc = unknown service runtime.v1.RuntimeService';

function appendLog(file: string, lines: readonly ContainerdLogLine[], tail?: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const text = lines.map((l) => logLine(l.level, l.msg, l.fields)).join('\n');
  fs.appendFileSync(file, `${text}${text ? '\n' : ''}${tail ? `${tail}\n` : ''}`);
}

/**
 * Renders the config and "starts" containerd. `k3sLog` receives k3s's own lines (its
 * journal); containerd's go to containerd.log, and also to `k3sLog` under `--debug`, as
 * k3s does.
 */
export function startContainerd(
  data: BaseTemplateData,
  k3sLog: (level: 'info' | 'error', msg: string) => void,
  debug = false,
): ContainerdOutcome {
  const p = containerdPaths(data.dataDir);
  const rendered = writeContainerdConfig(data, (m) => k3sLog('info', m));
  k3sLog('info', `Logging containerd to ${p.log}`);
  k3sLog(
    'info',
    `Running containerd -c ${rendered.path} -a ${p.address} --state ${p.state} --root ${p.root}`,
  );
  const lines: ContainerdLogLine[] = [
    {
      level: 'info',
      msg: 'starting containerd',
      fields: { revision: 'STAND-IN', version: CONTAINERD_VERSION.replace('containerd://', 'v') },
    },
  ];
  const emit = (more: readonly ContainerdLogLine[], tail?: string) => {
    appendLog(p.log, [...lines, ...more], tail);
    if (debug)
      for (const l of [...lines, ...more]) k3sLog(l.level === 'info' ? 'info' : 'error', l.msg);
  };
  let loaded;
  try {
    loaded = loadConfig(rendered.path);
  } catch (e) {
    if (!(e instanceof ConfigLoadError)) throw e;
    emit(e.log, `containerd: ${e.message}`);
    if (debug) k3sLog('error', `containerd: ${e.message}`);
    return { state: 'exited', error: e.message };
  }
  const cri = criRuntime(loaded.plugins);
  if (!cri.ok) {
    emit([
      ...loaded.log,
      {
        level: 'warning',
        msg: 'failed to load plugin',
        fields: {
          error: cri.error,
          id: 'io.containerd.cri.v1.runtime',
          type: 'io.containerd.cri.v1',
        },
      },
    ]);
    return { state: 'no-cri', error: cri.error };
  }
  emit([...loaded.log, { level: 'info', msg: 'containerd successfully booted in 0.010000s' }]);
  return { state: 'running', handlers: cri.handlers };
}
