import { describe, expect, it } from 'vitest';
import { expandHome } from './operations.ts';
import { exportKubeconfigInput } from './schema.ts';

describe('kubeconfig export path', () => {
  it('accepts absolute and ~/ paths, refuses relative ones naming the field', () => {
    const ok = (p: string) => exportKubeconfigInput.safeParse({ clusterId: 'c1', path: p }).success;
    expect(ok('/tmp/k.yaml')).toBe(true);
    expect(ok('~/.kube/lab.yaml')).toBe(true);
    const bad = exportKubeconfigInput.safeParse({ clusterId: 'c1', path: 'k.yaml' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['path']);
    expect(bad.error?.issues[0]?.message).toMatch(/absolute path or start with ~\//);
  });
  it('expands ~ against the desktop user home only', () => {
    expect(expandHome('~/.kube/lab.yaml', '/home/ada')).toBe('/home/ada/.kube/lab.yaml');
    expect(expandHome('~', '/home/ada')).toBe('/home/ada');
    expect(expandHome('/etc/x', '/home/ada')).toBe('/etc/x');
  });
});
