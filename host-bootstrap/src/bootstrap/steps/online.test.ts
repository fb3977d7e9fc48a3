import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_KATA_VERSION,
  KATA_SHA256,
  kataAssetName,
  splitsGoRuntime,
  tarFlag,
  versionOfAsset,
} from './kata-assets.ts';
import {
  DEFAULT_GVISOR_RELEASE,
  gvisorBaseUrl,
  k3sUrls,
  kataUrl,
  onlineDownloadScript,
} from './online.ts';
import { ZSTD, ensureToolScript } from './packages.ts';

const SHA = 'ab'.repeat(32);
const syntaxOk = (script: string) =>
  spawnSync('sh', ['-n'], { input: script, encoding: 'utf8' }).status === 0;

describe('k3s online', () => {
  it('downloads the pinned release and checks it against sha256sum-<arch>.txt', () => {
    expect(k3sUrls('v1.36.3+k3s1', 'amd64')).toEqual({
      binary: 'https://github.com/k3s-io/k3s/releases/download/v1.36.3%2Bk3s1/k3s',
      hashes: 'https://github.com/k3s-io/k3s/releases/download/v1.36.3%2Bk3s1/sha256sum-amd64.txt',
    });
    expect(k3sUrls('v1.36.3+k3s1', 'arm64').binary).toMatch(/\/k3s-arm64$/);
    const script = onlineDownloadScript({ k3sVersion: 'v1.36.3+k3s1', arch: 'amd64' });
    expect(syntaxOk(script)).toBe(true);
    expect(script).toContain("grep -E ' k3s$' sha256sum-amd64.txt");
    expect(script).toContain('[ "$got" = "$want" ]');
    expect(script).toContain('install -m 0755 -o root -g root k3s.download /usr/local/bin/k3s');
    expect(script).not.toContain('kata');
    expect(script).not.toContain('runsc');
  });
});

describe('gVisor online', () => {
  it('fetches runsc and the shim of a dated release with their .sha512 files and checks them with sha512sum -c', () => {
    expect(gvisorBaseUrl('20250715.0', 'amd64')).toBe(
      'https://storage.googleapis.com/gvisor/releases/release/20250715.0/x86_64',
    );
    expect(gvisorBaseUrl('20250715.0', 'arm64')).toMatch(/\/aarch64$/);
    const script = onlineDownloadScript({
      k3sVersion: 'v1.36.3+k3s1',
      arch: 'amd64',
      gvisorRelease: DEFAULT_GVISOR_RELEASE,
    });
    expect(syntaxOk(script)).toBe(true);
    const base = gvisorBaseUrl(DEFAULT_GVISOR_RELEASE, 'amd64');
    for (const b of ['runsc', 'containerd-shim-runsc-v1']) {
      expect(script).toContain(`fetch gvisor/${b} ${base}/${b}\n`);
      expect(script).toContain(`fetch gvisor/${b}.sha512 ${base}/${b}.sha512\n`);
      expect(script).toContain(`install -m 0755 -o root -g root gvisor/${b} /usr/local/bin/${b}`);
    }
    expect(script).toContain(
      '( cd gvisor && sha512sum -c runsc.sha512 && sha512sum -c containerd-shim-runsc-v1.sha512 )',
    );
    // Nothing is installed before both checks passed.
    expect(script.indexOf('sha512sum -c')).toBeLessThan(
      script.indexOf('gvisor/runsc /usr/local/bin'),
    );
  });
});

describe('Kata release assets', () => {
  it('names the tarball with the Go runtime per release: xz to 3.20, zst from 3.21, kata-go-static from 4.1', () => {
    expect(kataAssetName('3.1.3', 'amd64')).toBe('kata-static-3.1.3-x86_64.tar.xz');
    expect(kataAssetName('3.18.0', 'amd64')).toBe('kata-static-3.18.0-amd64.tar.xz');
    expect(kataAssetName('3.20.0', 'arm64')).toBe('kata-static-3.20.0-arm64.tar.xz');
    expect(kataAssetName('3.21.0', 'amd64')).toBe('kata-static-3.21.0-amd64.tar.zst');
    expect(kataAssetName('4.0.0', 'amd64')).toBe('kata-static-4.0.0-amd64.tar.zst');
    expect(kataAssetName('4.1.0', 'amd64')).toBe('kata-go-static-4.1.0-amd64.tar.zst');
    expect(splitsGoRuntime('4.0.9')).toBe(false);
    expect(splitsGoRuntime('4.1.0')).toBe(true);
    expect(tarFlag('kata-static-3.21.0-amd64.tar.zst')).toBe('--zstd');
    expect(tarFlag('kata-static-3.18.0-amd64.tar.xz')).toBe('-J');
    expect(versionOfAsset('kata-go-static-4.1.0-amd64.tar.zst')).toBe('4.1.0');
    expect(versionOfAsset('kata-static-3.18.0-STAND-IN-amd64.tar.xz')).toBe('3.18.0-STAND-IN');
    expect(() => kataAssetName('latest', 'amd64')).toThrow(/not a Kata release/);
  });

  it('pins no hash it could not verify', () => {
    expect(KATA_SHA256).toEqual({});
    expect(kataAssetName(DEFAULT_KATA_VERSION, 'amd64')).toMatch(/^kata-static-/);
  });

  it('online: checks the given sha256 before unpacking; installs zstd first for .tar.zst', () => {
    const script = onlineDownloadScript({
      k3sVersion: 'v1.36.3+k3s1',
      arch: 'amd64',
      kata: { version: '4.1.0', sha256: SHA },
    });
    expect(syntaxOk(script)).toBe(true);
    expect(kataUrl('4.1.0', 'amd64')).toBe(
      'https://github.com/kata-containers/kata-containers/releases/download/4.1.0/kata-go-static-4.1.0-amd64.tar.zst',
    );
    expect(script).toContain(`fetch kata.download ${kataUrl('4.1.0', 'amd64')}`);
    expect(script).toContain(`[ "$got" = ${SHA} ]`);
    expect(script).toContain('tar --zstd -xf kata.download -C /');
    expect(script.indexOf('command -v zstd')).toBeLessThan(script.indexOf('tar --zstd'));
    expect(script.indexOf(`[ "$got" = ${SHA} ]`)).toBeLessThan(script.indexOf('tar --zstd'));
    expect(script).toContain(
      'echo "$got" > /var/lib/nodeless/installed/kata-go-static-4.1.0-amd64.tar.zst.sha256',
    );
    const xz = onlineDownloadScript({
      k3sVersion: 'v1.36.3+k3s1',
      arch: 'amd64',
      kata: { version: '3.20.0', sha256: SHA },
    });
    expect(xz).toContain('tar -J -xf kata.download -C /');
    expect(xz).not.toContain('zstd');
    expect(() =>
      onlineDownloadScript({
        k3sVersion: 'v1.36.3+k3s1',
        arch: 'amd64',
        kata: { version: '3.20.0', sha256: 'nope' },
      }),
    ).toThrow(/64 lowercase hex/);
  });
});

describe('host tools', () => {
  it('zstd: nothing when present; else apt-get, dnf or zypper; else a remedy naming the package', () => {
    const s = ensureToolScript(ZSTD);
    expect(syntaxOk(s)).toBe(true);
    expect(s.split('\n')[0]).toBe('if ! command -v zstd >/dev/null 2>&1; then');
    expect(s).toContain('apt-get install -y -q zstd');
    expect(s).toContain('dnf install -y -q zstd');
    expect(s).toContain('zypper --non-interactive install zstd');
    // With no package manager on PATH the script fails with the remedy.
    const r = spawnSync('/bin/sh', ['-c', s], {
      encoding: 'utf8',
      env: { PATH: '/nonexistent' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'zstd is missing and could not be installed: install it (apt-get install zstd',
    );
  });
});
