import { describe, expect, it } from 'vitest';
import { containsDesired, describeObject } from './manifest-step.ts';

describe('desired-state comparison', () => {
  it('ignores fields the server added', () => {
    expect(
      containsDesired(
        { handler: 'kata-clh', metadata: { labels: { a: '1' } } },
        { handler: 'kata-clh', metadata: { labels: { a: '1', b: '2' }, uid: 'x' }, extra: 1 },
      ),
    ).toBe(true);
  });
  it('detects changed and missing fields', () => {
    expect(containsDesired({ handler: 'kata-clh' }, { handler: 'runc' })).toBe(false);
    expect(containsDesired({ overhead: { podFixed: { cpu: '250m' } } }, {})).toBe(false);
    expect(containsDesired({ list: ['a', 'b'] }, { list: ['a'] })).toBe(false);
  });
  it('compares quantities numerically, other strings exactly', () => {
    expect(containsDesired({ cpu: '250m' }, { cpu: '0.25' })).toBe(true);
    expect(containsDesired({ memory: '130Mi' }, { memory: '136314880' })).toBe(true);
    expect(containsDesired({ memory: '130Mi' }, { memory: '160Mi' })).toBe(false);
    expect(containsDesired({ name: 'kata' }, { name: 'gvisor' })).toBe(false);
  });
  it('describes objects with their namespace', () => {
    expect(
      describeObject({ kind: 'ConfigMap', metadata: { name: 'x', namespace: 'nodeless-system' } }),
    ).toBe('ConfigMap nodeless-system/x');
    expect(describeObject({ kind: 'RuntimeClass', metadata: { name: 'kata-fc' } })).toBe(
      'RuntimeClass kata-fc',
    );
  });
});
