import { describe, expect, it } from 'vitest';
import { displayPath, parseFieldPath } from './field-path.ts';

describe('parseFieldPath', () => {
  it('reads validation paths with indexes and map keys', () => {
    expect(parseFieldPath('spec.template.spec.containers[0].image')).toEqual([
      'spec',
      'template',
      'spec',
      'containers',
      0,
      'image',
    ]);
    expect(parseFieldPath('metadata.labels[app.kubernetes.io/name]')).toEqual([
      'metadata',
      'labels',
      'app.kubernetes.io/name',
    ]);
  });

  it('reads server-side apply paths with keyed list items', () => {
    expect(
      parseFieldPath('.spec.containers[name="a,b]"].ports[containerPort=80,protocol="TCP"]'),
    ).toEqual([
      'spec',
      'containers',
      { name: 'a,b]' },
      'ports',
      { containerPort: 80, protocol: 'TCP' },
    ]);
  });

  it('shows either form without the leading dot', () => {
    expect(displayPath('.spec.replicas')).toBe('spec.replicas');
    expect(displayPath('spec.replicas')).toBe('spec.replicas');
  });
});
