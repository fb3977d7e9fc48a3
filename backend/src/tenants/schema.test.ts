import { describe, expect, it } from 'vitest';
import { fieldErrorsFromIssues } from '../api/field-errors.ts';
import {
  tenantsAddInput,
  tenantsKubeconfigInput,
  tenantsRemoveInput,
  tenantsRevokeInput,
  MAX_QUOTA_CPU_MILLI,
} from './schema.ts';

type Schema =
  | typeof tenantsAddInput
  | typeof tenantsKubeconfigInput
  | typeof tenantsRevokeInput
  | typeof tenantsRemoveInput;

/** The field errors a call would answer with (the 400's `fieldErrors`), or null when valid. */
function errors(schema: Schema, input: unknown) {
  const r = schema.safeParse(input);
  return r.success ? null : fieldErrorsFromIssues(r.error.issues);
}

const GIB = 1024 ** 3;

describe('tenants.add input', () => {
  it('accepts a namespace with a quota in integers and a pod count', () => {
    const input = {
      clusterId: 'c1',
      namespace: 'team-a',
      quota: { cpuMilli: 16_000, memoryBytes: 32 * GIB },
      pods: 50,
    };
    expect(tenantsAddInput.parse(input)).toEqual(input);
    expect(errors(tenantsAddInput, { clusterId: 'c1', namespace: 'team-a' })).toBeNull();
  });

  it.each([
    ['kube-public', 'is reserved'],
    ['nodeless-system', 'is reserved'],
    ['Team_A', 'is not a DNS-1123 label'],
    ['', 'is required'],
    ['a'.repeat(64), 'longer than 63'],
  ])('refuses namespace %j naming the field', (namespace, message) => {
    const e = errors(tenantsAddInput, { clusterId: 'c1', namespace });
    expect(Object.keys(e ?? {})).toEqual(['namespace']);
    expect(e?.['namespace']).toContain(message);
  });

  it.each([
    [{ quota: { cpuMilli: 0, memoryBytes: GIB } }, 'quota.cpuMilli', 'more than 0'],
    [{ quota: { cpuMilli: 1500.5, memoryBytes: GIB } }, 'quota.cpuMilli', 'whole number'],
    [{ quota: { cpuMilli: 1000, memoryBytes: -1 } }, 'quota.memoryBytes', 'more than 0'],
    [
      { quota: { cpuMilli: MAX_QUOTA_CPU_MILLI + 1, memoryBytes: GIB } },
      'quota.cpuMilli',
      'at most',
    ],
    [{ quota: { cpuMilli: 1000 } }, 'quota.memoryBytes', 'is required'],
    [{ pods: 0 }, 'pods', 'more than 0'],
    [{ pods: '5' }, 'pods', 'must be a number'],
  ])('refuses bad sizes naming the field: %j', (extra, field, message) => {
    const e = errors(tenantsAddInput, { clusterId: 'c1', namespace: 'team-a', ...extra });
    expect(Object.keys(e ?? {})).toEqual([field]);
    expect(e?.[field]).toContain(message);
  });
});

describe('tenants.kubeconfig input', () => {
  const ok = { clusterId: 'c1', namespace: 'team-a', expiresSeconds: 3600, path: '~/.kube/t' };

  it('accepts an expiry from 10 minutes to a year and a desktop path', () => {
    expect(errors(tenantsKubeconfigInput, ok)).toBeNull();
    expect(
      errors(tenantsKubeconfigInput, { ...ok, member: 'ci.bot', credential: 'certificate' }),
    ).toBeNull();
    expect(
      errors(tenantsKubeconfigInput, { ...ok, expiresSeconds: 600, path: '/tmp/k' }),
    ).toBeNull();
  });

  it.each([
    [{ expiresSeconds: 599 }, 'expiresSeconds', 'at least 600'],
    [{ expiresSeconds: 365 * 24 * 3600 + 1 }, 'expiresSeconds', 'at most'],
    [{ path: 'relative/file' }, 'path', 'absolute path'],
    [{ namespace: 'kube-system' }, 'namespace', 'is reserved'],
    [{ token: 'x' }, 'token', 'is not a known field'],
    [{ member: 'Alice' }, 'member', 'lower-case letters'],
    [{ member: '' }, 'member', 'is required'],
    [{ credential: 'password' }, 'credential', ''],
  ])('refuses %j naming the field', (extra, field, message) => {
    const e = errors(tenantsKubeconfigInput, { ...ok, ...extra });
    expect(Object.keys(e ?? {})).toEqual([field]);
    expect(e?.[field]).toContain(message);
  });
});

describe('tenants.revoke input', () => {
  it('refuses a reserved namespace naming the field', () => {
    expect(errors(tenantsRevokeInput, { clusterId: 'c1', namespace: 'team-a' })).toBeNull();
    expect(errors(tenantsRevokeInput, { clusterId: 'c1', namespace: 'kube-x' })).toEqual({
      namespace: expect.stringContaining('is reserved') as unknown,
    });
  });
});

describe('tenants with several namespaces, and their removal', () => {
  it('checks every extra namespace naming the field', () => {
    const base = { clusterId: 'c1', namespace: 'team-a' };
    expect(errors(tenantsAddInput, { ...base, extraNamespaces: ['team-a-staging'] })).toBeNull();
    const e = errors(tenantsAddInput, { ...base, extraNamespaces: ['ok', 'kube-x'] });
    expect(Object.keys(e ?? {})).toEqual(['extraNamespaces.1']);
    expect(e?.['extraNamespaces.1']).toContain('is reserved');
  });

  it('takes the namespaces to delete by name', () => {
    const base = { clusterId: 'c1', namespace: 'team-a' };
    expect(errors(tenantsRemoveInput, base)).toBeNull();
    expect(errors(tenantsRemoveInput, { ...base, deleteNamespaces: ['team-a'] })).toBeNull();
    expect(errors(tenantsRemoveInput, { ...base, deleteNamespaces: ['Team'] })).toHaveProperty([
      'deleteNamespaces.0',
    ]);
    expect(errors(tenantsRevokeInput, { ...base, member: 'alice' })).toBeNull();
  });
});
