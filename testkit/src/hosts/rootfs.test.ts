import { describe, expect, it } from 'vitest';
import { BASE_PACKAGES, debianMirror, recipeHash } from './rootfs.ts';

describe('base rootfs recipe', () => {
  it('reuses the mirror of deb822 and one-line apt sources', async () => {
    const deb822 = 'Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm\n';
    expect(await debianMirror(async (p) => (p.endsWith('debian.sources') ? deb822 : ''))).toBe(
      'http://mirror.example/debian',
    );
    const line = 'deb [arch=amd64] http://other.example/debian bookworm main\n';
    expect(await debianMirror(async (p) => (p.endsWith('sources.list') ? line : ''))).toBe(
      'http://other.example/debian',
    );
    expect(await debianMirror(async () => '')).toBe('http://deb.debian.org/debian');
  });
  it('keys the cache by mirror and recipe', () => {
    expect(recipeHash('http://a/debian')).not.toBe(recipeHash('http://b/debian'));
    expect(recipeHash('http://a/debian')).toBe(recipeHash('http://a/debian'));
  });
  it('carries what a k3s node and its reset need: iproute2, iptables, zstd', () => {
    expect(BASE_PACKAGES).toEqual(expect.arrayContaining(['iproute2', 'iptables', 'zstd']));
  });
});
