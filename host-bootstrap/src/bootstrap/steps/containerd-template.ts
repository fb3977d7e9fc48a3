/**
 * Containerd runtime handlers through k3s's config template. The template extends k3s's own
 * generated config with `{{ template "base" . }}` and appends only NEW tables (our runtimes, the
 * devmapper snapshotter), so k3s keeps owning everything else — runc included, which stays the
 * default runtime (DESIGN.md §4 phase 9): system pods run under runc and admission puts tenant
 * pods into the sandbox RuntimeClass.
 *
 * Every supported k3s (v1.36+) embeds containerd 2, reads `config-v3.toml.tmpl` (which wins over
 * `config.toml.tmpl`) and names the CRI plugins `io.containerd.cri.v1.runtime` /
 * `io.containerd.cri.v1.images`. The base template already emits
 * `[plugins.'io.containerd.cri.v1.runtime']` and its `runtimes.runc` table: re-declaring either is
 * a TOML duplicate-table error ("toml: table runc already exists") and containerd never starts.
 *
 * Kata handlers follow kata-deploy: runtime_type `io.containerd.kata-<x>.v2`, the Go shim at
 * `/opt/kata/bin/containerd-shim-kata-v2`, options.ConfigPath the flavour's configuration.
 * kata-fc needs the devmapper snapshotter, set on the runtime AND under the images plugin's
 * `runtime_platforms.<handler>` (containerd 2's image pull path reads only the latter).
 * gVisor: handler `runsc`, runtime_type `io.containerd.runsc.v1`, with a runsc config file that
 * turns on `systemd-cgroup`, because k3s run by systemd picks the systemd cgroup driver and the
 * kubelet then hands runsc `slice:prefix:name` cgroup paths.
 *
 * @see https://docs.k3s.io/advanced#configuring-containerd — base template, config-v3.toml.tmpl
 * @see https://github.com/k3s-io/k3s/blob/main/pkg/agent/containerd/config.go — templateGenerations
 * @see https://github.com/k3s-io/docs/pull/566 — "toml: table runc already exists"
 * @see https://github.com/containerd/containerd/blob/main/docs/cri/config.md — v3 plugin ids
 * @see https://github.com/containerd/containerd/blob/main/internal/cri/config/config.go — RuntimePlatforms
 * @see https://github.com/kata-containers/kata-containers/blob/main/docs/how-to/containerd-kata.md
 * @see https://github.com/kata-containers/kata-containers/tree/main/tools/packaging/kata-deploy — runtime_platforms snapshotter
 * @see https://gvisor.dev/docs/user_guide/containerd/configuration/ — TypeUrl, ConfigPath, [runsc_config]
 * @see https://github.com/k3s-io/k3s/blob/main/pkg/agent/containerd/config_linux.go — systemd cgroup driver under systemd
 * @see https://github.com/containerd/containerd/blob/main/docs/snapshotters/devmapper.md
 */
import { CONTAINERD_DIR } from './paths.ts';

export type Sandbox = 'kata-clh' | 'kata-qemu' | 'kata-fc' | 'gvisor';

/** Handler name of a sandbox (RuntimeClass `handler`). */
export const handlerOf = (s: Sandbox): string => (s === 'gvisor' ? 'runsc' : s);

export const DEVMAPPER_POOL = 'nodeless-thinpool';
export const DEVMAPPER_DIR = '/var/lib/nodeless/devmapper';

/** The template k3s v1.36 reads (containerd 2, config version 3). */
export const TEMPLATE_PATH = `${CONTAINERD_DIR}/config-v3.toml.tmpl`;

/** runsc's own options file, named by the runsc runtime's `options.ConfigPath`. */
export const RUNSC_CONFIG = '/etc/containerd/runsc.toml';

const RUNTIME = `plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes`;
const IMAGES = `plugins.'io.containerd.cri.v1.images'`;

/** The handlers installed for a choice: the Kata family gets clh and qemu, plus fc if chosen. */
export function handlersFor(sandbox: Sandbox): Sandbox[] {
  if (sandbox === 'gvisor') return ['gvisor'];
  return sandbox === 'kata-fc' ? ['kata-clh', 'kata-qemu', 'kata-fc'] : ['kata-clh', 'kata-qemu'];
}

/** runsc.toml: `[runsc_config]` keys become runsc flags (`systemd-cgroup = "true"`). */
export function renderRunscConfig(): string {
  return [
    '# Written by Nodeless: k3s under systemd uses the systemd cgroup driver; runsc must match.',
    '[runsc_config]',
    '  systemd-cgroup = "true"',
    '',
  ].join('\n');
}

/** Renders `config-v3.toml.tmpl` for `handlers`: the base config, then only new tables. */
export function renderTemplate(handlers: readonly Sandbox[]): string {
  const out = [
    "# Written by Nodeless: sandbox runtime handlers on top of k3s's base config.",
    '{{ template "base" . }}',
    '',
  ];
  for (const h of handlers) {
    const name = handlerOf(h);
    if (h === 'gvisor') {
      out.push(
        `[${RUNTIME}.runsc]`,
        `  runtime_type = "io.containerd.runsc.v1"`,
        `[${RUNTIME}.runsc.options]`,
        `  TypeUrl = "io.containerd.runsc.v1.options"`,
        `  ConfigPath = "${RUNSC_CONFIG}"`,
        '',
      );
      continue;
    }
    const flavour = h.slice('kata-'.length);
    out.push(
      `[${RUNTIME}.${name}]`,
      `  runtime_type = "io.containerd.${name}.v2"`,
      `  runtime_path = "/opt/kata/bin/containerd-shim-kata-v2"`,
      `  privileged_without_host_devices = true`,
      `  pod_annotations = ["io.katacontainers.*"]`,
      ...(h === 'kata-fc' ? [`  snapshotter = "devmapper"`] : []),
      `[${RUNTIME}.${name}.options]`,
      `  ConfigPath = "/opt/kata/share/defaults/kata-containers/configuration-${flavour}.toml"`,
      '',
    );
    if (h === 'kata-fc')
      out.push(`[${IMAGES}.runtime_platforms.${name}]`, `  snapshotter = "devmapper"`, '');
  }
  if (handlers.includes('kata-fc')) {
    out.push(
      `[plugins.'io.containerd.snapshotter.v1.devmapper']`,
      `  pool_name = "${DEVMAPPER_POOL}"`,
      `  root_path = "${DEVMAPPER_DIR}"`,
      `  base_image_size = "10GB"`,
      `  discard_blocks = true`,
      '',
    );
  }
  return out.join('\n');
}
