import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeSkew } from './gather.ts';
import { parseDf, parseFacts, parseProcNet, parseSs } from './parse.ts';
import { FACTS_SCRIPT, sectionMarker } from './script.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}.txt`, import.meta.url), 'utf8');

describe('parseFacts on captured outputs', () => {
  it('Debian 12 bare metal (Intel, KVM usable)', () => {
    const f = parseFacts(fixture('debian-12'));
    expect(f.os).toEqual({
      id: 'debian',
      idLike: [],
      versionId: '12',
      prettyName: 'Debian GNU/Linux 12 (bookworm)',
    });
    expect(f).toMatchObject({
      arch: 'x86_64',
      kernel: '6.1.0-25-amd64',
      systemd: true,
      hostname: 'node-a',
    });
    expect(f.cpu).toEqual({
      count: 8,
      model: 'Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz',
      virtFlag: 'vmx',
      hypervisor: false,
    });
    expect(f.kvm).toMatchObject({ status: 'usable', apiVersion: 12 });
    expect([f.vhostVsock, f.vhostNet]).toEqual(['loadable', 'loaded']);
    expect(f.memory).toEqual({ totalBytes: 32741836 * 1024, availableBytes: 29013548 * 1024 });
    expect(f.swap.active).toBe(false);
    expect(f.disk.freeBytes).toBe(404346986496);
    expect(f.cgroup.version).toBe(2);
    expect(f.portsInUse).toEqual([]);
    expect(f.k3s.installed).toBe(false);
    expect(f.problems).toEqual([]);
  });

  it('Ubuntu 24.04 (AMD, swap, existing k3s server)', () => {
    const f = parseFacts(fixture('ubuntu-24.04'));
    expect(f.os).toMatchObject({ id: 'ubuntu', idLike: ['debian'], versionId: '24.04' });
    expect(f.cpu).toMatchObject({ count: 16, virtFlag: 'svm' });
    expect([f.vhostVsock, f.vhostNet]).toEqual(['loaded', 'loaded']);
    expect(f.swap).toEqual({ active: true, totalBytes: 4194300 * 1024, devices: ['/swap.img'] });
    expect(f.portsInUse.map((p) => `${p.proto}/${p.port}:${p.process ?? '-'}`)).toEqual([
      'tcp/2379:k3s-server',
      'tcp/2380:k3s-server',
      'tcp/6443:k3s-server',
      'udp/8472:-',
      'tcp/10250:k3s-server',
    ]);
    expect(f.portsInUse.find((p) => p.port === 6443)?.pid).toBe(1432);
    expect(f.k3s).toEqual({
      installed: true,
      version: 'v1.30.5+k3s1',
      role: 'server',
      active: true,
    });
  });

  it('Rocky Linux 9 VM (no nested virtualisation, small disk)', () => {
    const f = parseFacts(fixture('rocky-9'));
    expect(f.os).toMatchObject({
      id: 'rocky',
      idLike: ['rhel', 'centos', 'fedora'],
      versionId: '9.4',
      prettyName: 'Rocky Linux 9.4 (Blue Onyx)',
    });
    expect(f.cpu).toMatchObject({ count: 2, virtFlag: undefined, hypervisor: true });
    expect(f.kvm.status).toBe('absent');
    expect(f.disk.freeBytes).toBe(7421362176);
    expect(f.hostname).toBe('ip-172-31-20-17.ec2.internal');
  });

  it('openSUSE Leap 15.5 (cgroup v1, df in KiB, /proc/net fallback, KVM denied)', () => {
    const f = parseFacts(fixture('opensuse-leap-15'));
    expect(f.os).toMatchObject({
      id: 'opensuse-leap',
      idLike: ['suse', 'opensuse'],
      versionId: '15.5',
    });
    expect(f.cgroup).toEqual({ version: 1, fsType: 'tmpfs' });
    expect(f.disk).toMatchObject({
      freeBytes: 5177728 * 1024,
      totalBytes: 41922560 * 1024,
      path: '/var',
    });
    expect(f.kvm).toMatchObject({ status: 'unusable' });
    expect(f.kvm.detail).toContain('Permission denied');
    expect(f.vhostVsock).toBe('absent');
    expect(f.portsInUse).toEqual([
      { port: 6443, proto: 'tcp', address: '0.0.0.0', process: undefined, pid: undefined },
    ]);
    expect(f.swap.devices).toEqual(['/dev/sda3']);
  });

  it('reports a truncated output instead of guessing', () => {
    const cut = fixture('debian-12').split('@@nodeless:df@@')[0] ?? '';
    const f = parseFacts(cut);
    expect(f.problems).toContain('the facts script did not run to the end');
    expect(f.problems).toContain('free disk space under /var/lib unknown');
    expect(f.disk.freeBytes).toBe(0);
  });

  it('is honest when KVM cannot be tested', () => {
    const f = parseFacts(`${sectionMarker('kvm')}\nuntestable\n${sectionMarker('end')}`);
    expect(f.kvm.status).toBe('unknown');
    expect(f.kvm.detail).toMatch(/cannot test/);
  });
});

describe('section parsers', () => {
  it('parses ss with IPv6 and process lists', () => {
    const p = parseSs([
      'tcp LISTEN 0 4096 [::]:10250 [::]:* users:(("kubelet",pid=9,fd=3))',
      'udp UNCONN 0 0 *:8472 *:*',
    ]);
    expect(p).toEqual([
      { port: 8472, proto: 'udp', address: '*', process: undefined, pid: undefined },
      { port: 10250, proto: 'tcp', address: '[::]', process: 'kubelet', pid: 9 },
    ]);
  });
  it('parses /proc/net udp and ignores non-listening tcp', () => {
    const p = parseProcNet([
      '# tcp',
      '   0: 0100007F:0951 0100007F:9C40 01 00000000:00000000 00:00000000 00000000 0 0 1 1',
      '# udp',
      '  12: 0100007F:2118 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 1 2',
    ]);
    expect(p).toEqual([
      { port: 8472, proto: 'udp', address: '127.0.0.1', process: undefined, pid: undefined },
    ]);
  });
  it('takes the df unit from the header', () => {
    expect(
      parseDf([
        'Filesystem 1024-blocks Used Available Capacity Mounted on',
        '/dev/x 100 50 40 56% /',
      ])?.freeBytes,
    ).toBe(40 * 1024);
    expect(parseDf(['bad'])).toBeUndefined();
  });
  it('computes clock skew with round-trip correction', () => {
    expect(computeSkew('1000.500000000', 1_000_000, 1_000_200)).toEqual({
      skewMs: 400,
      uncertaintyMs: 100,
    });
    expect(computeSkew('garbage', 0, 1)).toBeUndefined();
  });
  it('the script is POSIX sh syntax', async () => {
    const { execFileSync } = await import('node:child_process');
    expect(() => execFileSync('sh', ['-n', '-c', FACTS_SCRIPT])).not.toThrow();
  });
});
