/**
 * containerd refusing its configuration, told in containerd's own words. k3s runs containerd
 * with its output in `agent/containerd/containerd.log`, not in k3s's journal, so the journal
 * alone only shows the consequence:
 *
 * - the config cannot be loaded (invalid TOML, a table declared twice): containerd prints
 *   `containerd: failed to unmarshal TOML: …` and exits; k3s logs `containerd exited: …` and
 *   exits too, and systemd restarts it every 5 s into the same failure;
 * - the CRI plugin refuses its part (a `default_runtime_name` with no `runtimes.<name>` table):
 *   containerd logs `failed to load plugin` (error=`… no corresponding runtime configured …`)
 *   and runs on without CRI; k3s waits forever, logging
 *   `Waiting for containerd startup: … unknown service runtime.v1.RuntimeService`.
 *
 * Either way the node never registers, so waiting for it is pointless: the k3s step reads the
 * reason from containerd's log and fails at once, naming the files the config comes from.
 *
 * @see https://github.com/k3s-io/k3s/blob/main/pkg/agent/containerd/containerd.go — log file, "containerd exited"
 * @see https://github.com/k3s-io/k3s/blob/main/pkg/agent/cri/cri.go — "Waiting for %s startup: %v"
 * @see https://github.com/containerd/containerd/blob/main/cmd/containerd/server/config/config.go — "failed to unmarshal TOML"
 * @see https://github.com/containerd/containerd/blob/main/internal/cri/config/config.go — "no corresponding runtime configured"
 */
import { BootstrapError } from '../errors.ts';
import { probe, type HostHandle } from '../host.ts';
import { TEMPLATE_PATH } from './containerd-template.ts';
import { CONTAINERD_DIR, K3S_CONFIG } from './paths.ts';

/** Where k3s sends containerd's output. */
export const CONTAINERD_LOG = '/var/lib/rancher/k3s/agent/containerd/containerd.log';

/** True when k3s's journal shows containerd down for good: exited, or running without CRI. */
export function containerdDown(journal: string): boolean {
  return /containerd exited|Waiting for containerd startup: .*unknown service runtime\.v1\.RuntimeService/.test(
    journal,
  );
}

/** A logrus field's value (`error="…"` quoted with Go's escapes, or a bare word). */
function field(line: string, name: string): string | undefined {
  const m = new RegExp(`\\b${name}=("(?:[^"\\\\]|\\\\.)*"|\\S+)`).exec(line);
  const raw = m?.[1];
  if (raw === undefined) return undefined;
  if (!raw.startsWith('"')) return raw;
  try {
    return JSON.parse(raw) as string;
  } catch {
    return raw.slice(1, -1);
  }
}

/**
 * containerd's reason, from the end of its log: its exit message (`containerd: …`) or the
 * error of the CRI plugin that failed to load. Undefined when the log names neither.
 */
export function containerdReason(log: string): string | undefined {
  const lines = log.split('\n').reverse();
  for (const line of lines) {
    const exit = /^containerd: (.+)$/.exec(line.trim());
    if (exit?.[1]) return exit[1];
    if (/msg="failed to load plugin"/.test(line) && /io\.containerd\.(cri|grpc)\.v1/.test(line))
      return field(line, 'error');
  }
  return undefined;
}

/** The error for a containerd that refused its config on `host` (reads its log). */
export async function containerdRefusal(
  host: HostHandle,
  scrub: (text: string) => string,
): Promise<BootstrapError> {
  const r = await probe(host, `tail -n 60 ${CONTAINERD_LOG} 2>/dev/null`);
  const reason = containerdReason(scrub(r.stdout));
  return new BootstrapError(
    `containerd on ${host.name} refused its configuration, so k3s cannot register the node${reason ? `: ${reason}` : '.'}`,
    {
      host: host.name,
      remedy: `k3s renders containerd's config from ${TEMPLATE_PATH} (Nodeless writes it) plus any ${CONTAINERD_DIR}/config-v3.toml.d/*.toml, and takes default-runtime from ${K3S_CONFIG} and ${K3S_CONFIG}.d/*.yaml: remove the stale setting the message names (or Reset the host), then Resume. containerd's log: ${CONTAINERD_LOG} on ${host.name}.`,
    },
  );
}
