import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { meterImage } from '@nodeless/cluster-runtime';
import { imageSpec, sourceDateEpoch } from '../scripts/image/build.ts';
import { debFileName } from '../scripts/image/fetch.ts';
import { imageConfig, imageIndex, imageManifest } from '../scripts/image/oci.ts';
import { DEBIAN_PACKAGES, downloadsKey, NODE_RUNTIME } from '../scripts/image/pins.ts';
import { groupFile, passwdFile } from '../scripts/image/rootfs.ts';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

describe('meter image pieces', () => {
  it('takes SOURCE_DATE_EPOCH as whole seconds, 0 when unset, and refuses anything else', () => {
    expect(sourceDateEpoch({})).toBe(0);
    expect(sourceDateEpoch({ SOURCE_DATE_EPOCH: '1767225600' })).toBe(1767225600);
    expect(() => sourceDateEpoch({ SOURCE_DATE_EPOCH: '2026-01-01' })).toThrow(/whole seconds/);
  });

  it('names the image for containerd and k3s, runs as nonroot 65532, config and manifest chained by digest', () => {
    const spec = imageSpec('1.2.3', 0);
    const layers = [
      {
        digest: `sha256:${'a'.repeat(64)}`,
        size: 10,
        path: '/x',
        diffId: `sha256:${'b'.repeat(64)}`,
      },
    ];
    const config = imageConfig(spec, layers);
    const manifest = imageManifest(spec, config, layers);
    const index = JSON.parse(imageIndex(spec, manifest).toString()) as {
      manifests: Array<{ digest: string; size: number; annotations: Record<string, string> }>;
    };
    expect(index.manifests[0]).toMatchObject({
      digest: sha(manifest),
      size: manifest.length,
      annotations: {
        'io.containerd.image.name': meterImage('1.2.3'),
        'org.opencontainers.image.ref.name': '1.2.3',
      },
    });
    const m = JSON.parse(manifest.toString()) as { config: { digest: string } };
    expect(m.config.digest).toBe(sha(config));
    const c = JSON.parse(config.toString()) as {
      created: string;
      config: { User: string; Entrypoint: string[] };
      rootfs: { diff_ids: string[] };
    };
    expect(c.created).toBe('1970-01-01T00:00:00.000Z');
    expect(c.config.User).toBe('65532:65532');
    expect(c.config.Entrypoint).toEqual(['/usr/local/bin/node', '/opt/nodeless/meter/meter.mjs']);
    expect(c.rootfs.diff_ids).toEqual([`sha256:${'b'.repeat(64)}`]);
  });

  it('pins exact versions and checksums, and keys the download cache by them', () => {
    expect(NODE_RUNTIME.version).toMatch(/^22\.\d+\.\d+$/);
    expect(NODE_RUNTIME.integrity).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
    for (const p of DEBIAN_PACKAGES) expect(p.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(downloadsKey()).toContain(`node-${NODE_RUNTIME.version}`);
    expect(downloadsKey()).toContain('libc6_2.36-9+deb12u14');
    expect(debFileName({ name: 'x', version: '1:2.0-1', sha256: '' })).toBe(
      'x_1%3a2.0-1_amd64.deb',
    );
  });

  it('has root and nonroot users and groups', () => {
    expect(passwdFile(65532).split('\n')[1]).toBe(
      'nonroot:x:65532:65532:nonroot:/nonexistent:/usr/sbin/nologin',
    );
    expect(groupFile(65532)).toBe('root:x:0:\nnonroot:x:65532:\n');
  });
});
