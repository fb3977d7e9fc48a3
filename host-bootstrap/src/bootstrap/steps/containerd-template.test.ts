import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml, type TomlTable } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { renderBaseV3 } from '../../../../testkit/src/standin/k3s/containerd/base.ts';
import { criRuntime, loadConfig } from '../../../../testkit/src/standin/k3s/containerd/load.ts';
import { renderUserTemplate } from '../../../../testkit/src/standin/k3s/containerd/template.ts';
import {
  RUNSC_CONFIG,
  TEMPLATE_PATH,
  handlersFor,
  renderRunscConfig,
  renderTemplate,
  type Sandbox,
} from './containerd-template.ts';
import { DEVMAPPER_UNIT, renderPoolScript, renderPoolUnit } from './devmapper.ts';
import { K3S_V3_BASE } from './fixtures/k3s-v3-base.ts';
import { sandboxFiles } from './sandbox-files.ts';

/** What k3s does with the template: `{{ template "base" . }}` → its built-in config. */
const renderAsK3s = (template: string): string =>
  template.replace('{{ template "base" . }}', K3S_V3_BASE);

/** Walks a dotted path of tables. */
function table(root: TomlTable, ...keys: string[]): TomlTable | undefined {
  let t: unknown = root;
  for (const k of keys) {
    if (typeof t !== 'object' || t === null || Array.isArray(t)) return undefined;
    t = (t as TomlTable)[k];
  }
  return typeof t === 'object' && t !== null && !Array.isArray(t) ? (t as TomlTable) : undefined;
}

const SANDBOXES: Sandbox[] = ['kata-clh', 'kata-qemu', 'kata-fc', 'gvisor'];

describe('containerd template (config-v3.toml.tmpl, k3s v1.36)', () => {
  it('is the v3 file k3s v1.36 reads', () => {
    expect(TEMPLATE_PATH).toBe('/var/lib/rancher/k3s/agent/etc/containerd/config-v3.toml.tmpl');
  });

  it.each(SANDBOXES)(
    '%s: rendered on top of the base it parses as TOML, keeps runc and the default runtime, and defines every handler',
    (sandbox) => {
      const template = renderTemplate(handlersFor(sandbox));
      expect(template).toContain('{{ template "base" . }}');
      const config = parseToml(renderAsK3s(template));
      const cri = table(config, 'plugins', 'io.containerd.cri.v1.runtime');
      const runtimes = table(
        config,
        'plugins',
        'io.containerd.cri.v1.runtime',
        'containerd',
        'runtimes',
      );
      // runc (and the default runtime, which stays runc) come from the base, untouched.
      expect(table(cri ?? {}, 'containerd')?.['default_runtime_name']).toBeUndefined();
      expect(runtimes?.['runc']).toEqual({
        runtime_type: 'io.containerd.runc.v2',
        options: { SystemdCgroup: true },
      });
      const names = handlersFor(sandbox).map((h) => (h === 'gvisor' ? 'runsc' : h));
      expect(Object.keys(runtimes ?? {}).sort()).toEqual(['runc', ...names].sort());
    },
  );

  it('never declares a table the base already declares (containerd: "table runc already exists")', () => {
    const headers = (text: string) =>
      [...text.matchAll(/^\s*\[([^\]]+)\]\s*$/gm)].map((m) => m[1]?.replace(/\s/g, ''));
    const base = new Set(headers(K3S_V3_BASE));
    for (const sandbox of SANDBOXES)
      for (const h of headers(renderTemplate(handlersFor(sandbox))))
        expect(base.has(h)).toBe(false);
    // The check has teeth: re-declaring runc is the TOML error containerd stops on.
    const dup = `${K3S_V3_BASE}\n[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]\n`;
    expect(() => parseToml(dup)).toThrow();
  });

  it('Kata handlers as kata-deploy writes them (Go shim, flavour ConfigPath)', () => {
    const config = parseToml(renderAsK3s(renderTemplate(handlersFor('kata-qemu'))));
    const runtimes = table(
      config,
      'plugins',
      'io.containerd.cri.v1.runtime',
      'containerd',
      'runtimes',
    );
    expect(runtimes?.['kata-qemu']).toEqual({
      runtime_type: 'io.containerd.kata-qemu.v2',
      runtime_path: '/opt/kata/bin/containerd-shim-kata-v2',
      privileged_without_host_devices: true,
      pod_annotations: ['io.katacontainers.*'],
      options: { ConfigPath: '/opt/kata/share/defaults/kata-containers/configuration-qemu.toml' },
    });
    expect(runtimes?.['kata-fc']).toBeUndefined();
    expect(table(config, 'plugins', 'io.containerd.snapshotter.v1.devmapper')).toBeUndefined();
  });

  it('kata-fc: devmapper on the runtime AND under the images plugin runtime_platforms; the pool plugin configured', () => {
    const config = parseToml(renderAsK3s(renderTemplate(handlersFor('kata-fc'))));
    const fc = table(
      config,
      'plugins',
      'io.containerd.cri.v1.runtime',
      'containerd',
      'runtimes',
      'kata-fc',
    );
    expect(fc?.['snapshotter']).toBe('devmapper');
    expect(
      table(config, 'plugins', 'io.containerd.cri.v1.images', 'runtime_platforms', 'kata-fc'),
    ).toEqual({ snapshotter: 'devmapper' });
    // The base's images table keeps its own keys next to the new sub-table.
    expect(table(config, 'plugins', 'io.containerd.cri.v1.images')?.['snapshotter']).toBe(
      'overlayfs',
    );
    expect(table(config, 'plugins', 'io.containerd.snapshotter.v1.devmapper')).toEqual({
      pool_name: 'nodeless-thinpool',
      root_path: '/var/lib/nodeless/devmapper',
      base_image_size: '10GB',
      discard_blocks: true,
    });
  });

  it('gVisor: runsc with TypeUrl and ConfigPath to a runsc.toml that turns on systemd-cgroup', () => {
    const config = parseToml(renderAsK3s(renderTemplate(handlersFor('gvisor'))));
    expect(
      table(config, 'plugins', 'io.containerd.cri.v1.runtime', 'containerd', 'runtimes', 'runsc'),
    ).toEqual({
      runtime_type: 'io.containerd.runsc.v1',
      options: { TypeUrl: 'io.containerd.runsc.v1.options', ConfigPath: RUNSC_CONFIG },
    });
    expect(parseToml(renderRunscConfig())).toEqual({ runsc_config: { 'systemd-cgroup': 'true' } });
  });
});

describe('files written before k3s starts', () => {
  it('per sandbox: the template; runsc.toml for gVisor; the pool script and unit for kata-fc', () => {
    const paths = (s: Sandbox) => sandboxFiles(s).map((f) => f.path);
    expect(paths('kata-clh')).toEqual([TEMPLATE_PATH]);
    expect(paths('gvisor')).toEqual([TEMPLATE_PATH, RUNSC_CONFIG]);
    expect(paths('kata-fc')).toEqual([
      TEMPLATE_PATH,
      '/usr/local/sbin/nodeless-devmapper-pool',
      `/etc/systemd/system/${DEVMAPPER_UNIT}`,
    ]);
  });

  it('the thin pool survives reboots: a oneshot unit before k3s re-runs an idempotent script', () => {
    const unit = renderPoolUnit();
    expect(unit).toMatch(/^Type=oneshot$/m);
    expect(unit).toMatch(/^RemainAfterExit=yes$/m);
    expect(unit).toMatch(/^Before=k3s\.service k3s-agent\.service$/m);
    expect(unit).toMatch(/^WantedBy=multi-user\.target$/m);
    const script = renderPoolScript({ dataGiB: 20, metaGiB: 2 });
    expect(script.split('\n')[3]).toBe(
      'dmsetup status nodeless-thinpool >/dev/null 2>&1 && exit 0',
    );
    // Backing files are created once, never truncated again; attached loop devices are reused.
    expect(script).toContain('[ -f /var/lib/nodeless/devmapper/data ] || truncate -s 20G');
    expect(script).toContain('losetup -j "$1"');
    expect(script).toMatch(
      /dmsetup create nodeless-thinpool --table "0 \$LENGTH_IN_SECTORS thin-pool \$META_DEV \$DATA_DEV/,
    );
  });
});

describe('as the stand-in k3s renders it and the stand-in containerd loads it', () => {
  it.each(SANDBOXES)(
    '%s: containerd starts, runc stays the default, the CRI serves every handler',
    (sandbox) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'nodeless-containerd-'));
      try {
        const base = renderBaseV3({
          dataDir,
          snapshotter: 'overlayfs',
          pauseImage: 'rancher/mirrored-pause:3.6',
          systemdCgroup: true,
          selinux: false,
          nonrootDevices: false,
          noFlannel: false,
        });
        const file = join(dataDir, 'config.toml');
        writeFileSync(file, renderUserTemplate(renderTemplate(handlersFor(sandbox)), base));
        const verdict = criRuntime(loadConfig(file).plugins);
        const names = handlersFor(sandbox).map((h) => (h === 'gvisor' ? 'runsc' : h));
        expect(verdict).toEqual({
          ok: true,
          defaultRuntime: 'runc',
          handlers: ['runc', ...names].sort(),
        });
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );
});
