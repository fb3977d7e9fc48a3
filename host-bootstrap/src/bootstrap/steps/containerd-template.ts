/**
 * Containerd runtime handlers through k3s's config template: the template extends k3s's own
 * generated config with `{{ template "base" . }}` and appends our runtimes, so k3s keeps
 * owning everything else. k3s with containerd 2.0 (v1.31.6+, v1.32.2+ and later) reads
 * `config-v3.toml.tmpl` and names the CRI runtime plugin `io.containerd.cri.v1.runtime`;
 * earlier ones read `config.toml.tmpl` with `io.containerd.grpc.v1.cri`.
 *
 * Kata handlers follow kata-deploy: runtime_type `io.containerd.kata-<x>.v2`, the shim at
 * `/opt/kata/bin/containerd-shim-kata-v2`, options.ConfigPath the flavour's configuration.
 * gVisor: handler `runsc`, runtime_type `io.containerd.runsc.v1` (shim on PATH).
 * kata-fc needs the devmapper snapshotter: a thin pool, then `snapshotter = "devmapper"`.
 *
 * @see https://docs.k3s.io/advanced#configuring-containerd — base template, config-v3.toml.tmpl
 * @see https://github.com/kata-containers/kata-containers/blob/main/docs/how-to/containerd-kata.md
 * @see https://github.com/kata-containers/kata-containers/blob/main/tools/packaging/kata-deploy/
 * @see https://gvisor.dev/docs/user_guide/containerd/quick_start/
 * @see https://github.com/containerd/containerd/blob/main/docs/snapshotters/devmapper.md
 */
import { CONTAINERD_DIR } from './paths.ts';

export type Sandbox = 'kata-clh' | 'kata-qemu' | 'kata-fc' | 'gvisor';

/** Handler name of a sandbox (RuntimeClass `handler`). */
export const handlerOf = (s: Sandbox): string => (s === 'gvisor' ? 'runsc' : s);

export const DEVMAPPER_POOL = 'nodeless-thinpool';
export const DEVMAPPER_DIR = '/var/lib/nodeless/devmapper';

/** True when the k3s version embeds containerd 2 (config v3). */
export function usesContainerd2(k3sVersion: string): boolean {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(k3sVersion);
  if (!m) return true;
  const [minor, patch] = [Number(m[2]), Number(m[3])];
  if (Number(m[1]) > 1 || minor >= 33) return true;
  if (minor === 32) return patch >= 2;
  if (minor === 31) return patch >= 6;
  return false;
}

/** Template path for this k3s version. */
export function templatePath(k3sVersion: string): string {
  return `${CONTAINERD_DIR}/${usesContainerd2(k3sVersion) ? 'config-v3.toml.tmpl' : 'config.toml.tmpl'}`;
}

/** The handlers installed for a choice: the Kata family gets clh and qemu, plus fc if chosen. */
export function handlersFor(sandbox: Sandbox): Sandbox[] {
  if (sandbox === 'gvisor') return ['gvisor'];
  return sandbox === 'kata-fc' ? ['kata-clh', 'kata-qemu', 'kata-fc'] : ['kata-clh', 'kata-qemu'];
}

/** Renders the template for `handlers`. */
export function renderTemplate(k3sVersion: string, handlers: readonly Sandbox[]): string {
  const v3 = usesContainerd2(k3sVersion);
  const cri = v3 ? `plugins.'io.containerd.cri.v1.runtime'` : `plugins."io.containerd.grpc.v1.cri"`;
  const out = [
    "# Written by Nodeless: sandbox runtime handlers on top of k3s's base config.",
    '{{ template "base" . }}',
    '',
  ];
  for (const h of handlers) {
    const name = handlerOf(h);
    if (h === 'gvisor') {
      out.push(
        `[${cri}.containerd.runtimes.runsc]`,
        `  runtime_type = "io.containerd.runsc.v1"`,
        '',
      );
      continue;
    }
    const flavour = h.slice('kata-'.length);
    out.push(
      `[${cri}.containerd.runtimes.${name}]`,
      `  runtime_type = "io.containerd.${name}.v2"`,
      `  runtime_path = "/opt/kata/bin/containerd-shim-kata-v2"`,
      `  privileged_without_host_devices = true`,
      `  pod_annotations = ["io.katacontainers.*"]`,
      ...(h === 'kata-fc' ? [`  snapshotter = "devmapper"`] : []),
      `[${cri}.containerd.runtimes.${name}.options]`,
      `  ConfigPath = "/opt/kata/share/defaults/kata-containers/configuration-${flavour}.toml"`,
      '',
    );
  }
  if (handlers.includes('kata-fc')) {
    const snap = v3
      ? `plugins.'io.containerd.snapshotter.v1.devmapper'`
      : `plugins."io.containerd.snapshotter.v1.devmapper"`;
    out.push(
      `[${snap}]`,
      `  pool_name = "${DEVMAPPER_POOL}"`,
      `  root_path = "${DEVMAPPER_DIR}"`,
      `  base_image_size = "10GB"`,
      `  discard_blocks = true`,
      '',
    );
  }
  return out.join('\n');
}

/**
 * Creates a loop-backed devmapper thin pool, as containerd's devmapper guide does for
 * development setups (idempotent: nothing happens when the pool exists). Production hosts
 * should use an LVM thin pool on a real disk instead.
 */
export function devmapperScript(dataGiB = 20, metaGiB = 2): string {
  const d = DEVMAPPER_DIR;
  return [
    `dmsetup status ${DEVMAPPER_POOL} >/dev/null 2>&1 && exit 0`,
    `install -d -m 0700 ${d}`,
    `[ -f ${d}/data ] || truncate -s ${dataGiB}G ${d}/data`,
    `[ -f ${d}/meta ] || truncate -s ${metaGiB}G ${d}/meta`,
    `DATA_DEV=$(losetup --find --show ${d}/data)`,
    `META_DEV=$(losetup --find --show ${d}/meta)`,
    'SECTOR_SIZE=512',
    'DATA_SIZE="$(blockdev --getsize64 -q "$DATA_DEV")"',
    'LENGTH_IN_SECTORS=$(( DATA_SIZE / SECTOR_SIZE ))',
    'DATA_BLOCK_SIZE=128',
    'LOW_WATER_MARK=32768',
    `dmsetup create ${DEVMAPPER_POOL} --table "0 $LENGTH_IN_SECTORS thin-pool $META_DEV $DATA_DEV $DATA_BLOCK_SIZE $LOW_WATER_MARK"`,
  ].join('\n');
}
