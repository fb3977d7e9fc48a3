/**
 * The loop-backed devmapper thin pool kata-fc needs, made to survive reboots. A thin pool is a
 * device-mapper table over two loop devices; neither the loop devices nor the table outlive a
 * reboot, and containerd's devmapper snapshotter fails to load (and kata-fc pods with it) when
 * the pool is missing at its start. So one idempotent script creates the backing files once,
 * re-attaches the loop devices (reusing ones already attached to the files) and creates the
 * pool only when `dmsetup status` does not know it; a systemd oneshot unit runs it on every
 * boot before k3s, and Nodeless runs the same unit before k3s first starts.
 *
 * Loop-backed pools are what containerd's and Kata's guides use for development; production
 * hosts should use an LVM thin pool on a real disk (same pool name).
 *
 * @see https://github.com/containerd/containerd/blob/main/docs/snapshotters/devmapper.md — create script, table
 * @see https://github.com/kata-containers/kata-containers/blob/main/docs/how-to/how-to-use-kata-containers-with-firecracker.md — reload on reboot
 * @see https://www.freedesktop.org/software/systemd/man/latest/systemd.service.html — Type=oneshot, RemainAfterExit
 */
import { DEVMAPPER_DIR, DEVMAPPER_POOL } from './containerd-template.ts';
import { SYSTEMD_DIR } from './paths.ts';

export const DEVMAPPER_UNIT = 'nodeless-devmapper.service';
export const DEVMAPPER_UNIT_PATH = `${SYSTEMD_DIR}/${DEVMAPPER_UNIT}`;
export const DEVMAPPER_SCRIPT = '/usr/local/sbin/nodeless-devmapper-pool';

/** Sizes of the sparse backing files, in GiB (integers: `truncate -s <n>G`). */
export interface PoolSize {
  readonly dataGiB: number;
  readonly metaGiB: number;
}

export const DEFAULT_POOL_SIZE: PoolSize = { dataGiB: 20, metaGiB: 2 };

/** The idempotent pool script (the unit's ExecStart). */
export function renderPoolScript(size: PoolSize = DEFAULT_POOL_SIZE): string {
  const d = DEVMAPPER_DIR;
  return [
    '#!/bin/sh',
    '# Written by Nodeless: (re)creates the devmapper thin pool for kata-fc. Idempotent.',
    'set -e',
    `dmsetup status ${DEVMAPPER_POOL} >/dev/null 2>&1 && exit 0`,
    `install -d -m 0700 ${d}`,
    // Never truncate existing files: they hold the snapshots of every pulled image.
    `[ -f ${d}/data ] || truncate -s ${size.dataGiB}G ${d}/data`,
    `[ -f ${d}/meta ] || truncate -s ${size.metaGiB}G ${d}/meta`,
    // Reuse a loop device already attached to the file (a re-run after a failed dmsetup).
    'attach() { dev=$(losetup -j "$1" | cut -d: -f1 | head -n 1); [ -n "$dev" ] || dev=$(losetup --find --show "$1"); echo "$dev"; }',
    `DATA_DEV=$(attach ${d}/data)`,
    `META_DEV=$(attach ${d}/meta)`,
    'SECTOR_SIZE=512',
    'DATA_SIZE="$(blockdev --getsize64 -q "$DATA_DEV")"',
    'LENGTH_IN_SECTORS=$(( DATA_SIZE / SECTOR_SIZE ))',
    'DATA_BLOCK_SIZE=128',
    'LOW_WATER_MARK=32768',
    `dmsetup create ${DEVMAPPER_POOL} --table "0 $LENGTH_IN_SECTORS thin-pool $META_DEV $DATA_DEV $DATA_BLOCK_SIZE $LOW_WATER_MARK"`,
    '',
  ].join('\n');
}

/**
 * The boot unit: ordered before both k3s units (a unit that is not installed is ignored by
 * `Before=`), after local file systems so the backing files are there.
 */
export function renderPoolUnit(): string {
  return `[Unit]
Description=Nodeless: devmapper thin pool for kata-fc (re-attached before k3s)
DefaultDependencies=no
After=local-fs.target systemd-udev-settle.service
Before=k3s.service k3s-agent.service
Conflicts=shutdown.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=${DEVMAPPER_SCRIPT}

[Install]
WantedBy=multi-user.target
`;
}

/** Removes the pool, detaches its loop devices and deletes unit, script and files (reset). */
export function poolTeardownScript(): string {
  const d = DEVMAPPER_DIR;
  return [
    `systemctl disable --now ${DEVMAPPER_UNIT} 2>/dev/null || true`,
    `dmsetup remove ${DEVMAPPER_POOL} 2>/dev/null || true`,
    `for f in ${d}/data ${d}/meta; do`,
    '  [ -e "$f" ] || continue',
    '  for dev in $(losetup -j "$f" 2>/dev/null | cut -d: -f1); do losetup -d "$dev" 2>/dev/null || true; done',
    'done',
    `rm -f ${DEVMAPPER_UNIT_PATH} ${DEVMAPPER_SCRIPT}`,
  ].join('\n');
}
