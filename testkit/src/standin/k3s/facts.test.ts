import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runtimeHandlers } from './facts.ts';

describe('runtime handlers from containerd config', () => {
  it('finds CRI v1 and v3 runtime tables in templates and drop-ins', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrd-'));
    fs.mkdirSync(path.join(dir, 'config-v3.toml.d'));
    fs.writeFileSync(
      path.join(dir, 'config-v3.toml.d', 'kata.toml'),
      "[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.'kata-clh']\nruntime_type = 'io.containerd.kata-clh.v2'\n",
    );
    fs.writeFileSync(
      path.join(dir, 'config.toml.tmpl'),
      '{{ template "base" . }}\n[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.kata-qemu]\n  runtime_type = "io.containerd.kata-qemu.v2"\n',
    );
    expect(runtimeHandlers(dir)).toEqual(['kata-clh', 'kata-qemu', 'runc']);
    // Sub-tables name their handler, not "<handler>.options"; gVisor's runsc table too.
    fs.writeFileSync(
      path.join(dir, 'config-v3.toml.tmpl'),
      [
        '{{ template "base" . }}',
        "[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.kata-fc]",
        "[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.kata-fc.options]",
        '  ConfigPath = "/opt/kata/share/defaults/kata-containers/configuration-fc.toml"',
        "[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runsc]",
        '  runtime_type = "io.containerd.runsc.v1"',
        '[plugins.\'io.containerd.cri.v1.runtime\'.containerd.runtimes."kata-x".options]',
        '',
      ].join('\n'),
    );
    expect(runtimeHandlers(dir)).toEqual([
      'kata-clh',
      'kata-fc',
      'kata-qemu',
      'kata-x',
      'runc',
      'runsc',
    ]);
    expect(runtimeHandlers(path.join(dir, 'missing'))).toEqual(['runc']);
    fs.rmSync(dir, { recursive: true });
  });
});
