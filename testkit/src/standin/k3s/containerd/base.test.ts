import { describe, expect, it } from 'vitest';
import { renderBaseV2, renderBaseV3, type BaseTemplateData } from './base.ts';
import { decodeToml } from './toml.ts';

const data: BaseTemplateData = {
  dataDir: '/var/lib/rancher/k3s',
  snapshotter: 'overlayfs',
  pauseImage: 'rancher/mirrored-pause:3.6',
  systemdCgroup: true,
  selinux: false,
  nonrootDevices: false,
  noFlannel: false,
};

describe("k3s's base templates", () => {
  it('each imports its own drop-in directory (k3s#13680)', () => {
    const dir = '/var/lib/rancher/k3s/agent/etc/containerd';
    expect(decodeToml(renderBaseV3(data))['imports']).toEqual([`${dir}/config-v3.toml.d/*.toml`]);
    expect(decodeToml(renderBaseV2(data))['imports']).toEqual([`${dir}/config.toml.d/*.toml`]);
  });
});
