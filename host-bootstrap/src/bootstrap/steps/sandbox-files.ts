/**
 * What containerd must find when k3s starts on a host with a sandbox: the handler template,
 * runsc's options file (gVisor) and, for kata-fc, the devmapper thin pool with its boot unit.
 * The k3s node step puts them in place BEFORE the unit first starts, because containerd reads
 * its config and loads its snapshotters only at start: written later, they would need a
 * restart of k3s (and the kubelet with it) on every host. The sandbox step checks them again
 * and restarts k3s only when the template had to change.
 *
 * @see ./containerd-template.ts — the template and its rules
 * @see ./devmapper.ts — the thin pool that survives reboots
 */
import { fileMatches, probe, root, writeRootFile, type HostHandle } from '../host.ts';
import {
  DEVMAPPER_POOL,
  RUNSC_CONFIG,
  TEMPLATE_PATH,
  handlersFor,
  renderRunscConfig,
  renderTemplate,
  type Sandbox,
} from './containerd-template.ts';
import {
  DEVMAPPER_SCRIPT,
  DEVMAPPER_UNIT,
  DEVMAPPER_UNIT_PATH,
  renderPoolScript,
  renderPoolUnit,
} from './devmapper.ts';
import { DMSETUP, ensureToolScript } from './packages.ts';

/** A root-owned file with its wanted content and octal mode. */
export interface RootFile {
  readonly path: string;
  readonly content: string;
  readonly mode: string;
}

/** The files a sandbox needs before containerd starts. */
export function sandboxFiles(sandbox: Sandbox): RootFile[] {
  const files: RootFile[] = [
    { path: TEMPLATE_PATH, content: renderTemplate(handlersFor(sandbox)), mode: '644' },
  ];
  if (sandbox === 'gvisor')
    files.push({ path: RUNSC_CONFIG, content: renderRunscConfig(), mode: '644' });
  if (sandbox === 'kata-fc') {
    files.push(
      { path: DEVMAPPER_SCRIPT, content: renderPoolScript(), mode: '755' },
      { path: DEVMAPPER_UNIT_PATH, content: renderPoolUnit(), mode: '644' },
    );
  }
  return files;
}

/** What is not in place (empty = all of it): file paths, and the pool for kata-fc. */
export async function sandboxFilesMissing(host: HostHandle, sandbox: Sandbox): Promise<string[]> {
  const missing: string[] = [];
  for (const f of sandboxFiles(sandbox))
    if (!(await fileMatches(host, f.path, f.content, f.mode))) missing.push(f.path);
  if (sandbox === 'kata-fc') {
    const r = await probe(
      host,
      `systemctl is-enabled --quiet ${DEVMAPPER_UNIT} && dmsetup status ${DEVMAPPER_POOL} >/dev/null 2>&1`,
    );
    if (r.code !== 0) missing.push(`devmapper thin pool ${DEVMAPPER_POOL}`);
  }
  return missing;
}

/**
 * Writes what differs and, for kata-fc, enables and runs the pool unit. Resolves with whether
 * the template changed (containerd must then be restarted if it already runs).
 */
export async function ensureSandboxFiles(
  host: HostHandle,
  sandbox: Sandbox,
  log: (line: string) => void,
): Promise<{ templateChanged: boolean }> {
  let templateChanged = false;
  for (const f of sandboxFiles(sandbox)) {
    if (await fileMatches(host, f.path, f.content, f.mode)) continue;
    await writeRootFile(host, f.path, f.content, f.mode);
    log(`wrote ${f.path}`);
    if (f.path === TEMPLATE_PATH) templateChanged = true;
  }
  if (sandbox === 'kata-fc') {
    await root(
      host,
      'Creating the devmapper thin pool for kata-fc',
      [
        ensureToolScript(DMSETUP),
        // Thin provisioning is a module on most kernels; built in, modprobe may fail harmlessly.
        'modprobe dm_thin_pool 2>/dev/null || true',
        'systemctl daemon-reload',
        `systemctl enable ${DEVMAPPER_UNIT} >/dev/null 2>&1`,
        // restart, not start: a oneshot with RemainAfterExit stays "active" after a failure
        // was fixed by hand, and the script is idempotent.
        `systemctl restart ${DEVMAPPER_UNIT} || { journalctl -u ${DEVMAPPER_UNIT} --no-pager -o cat -n 5 >&2; exit 1; }`,
      ].join('\n'),
      {
        timeoutMs: 120_000,
        remedy: `kata-fc needs loop devices and device-mapper thin provisioning (dm_thin_pool) on ${host.name}; fix that (journalctl -u ${DEVMAPPER_UNIT}) and Resume, or choose kata-clh, which needs no thin pool.`,
      },
    );
    log(`devmapper thin pool ${DEVMAPPER_POOL} ready (${DEVMAPPER_UNIT} enabled)`);
  }
  return { templateChanged };
}
