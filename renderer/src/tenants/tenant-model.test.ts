import { describe, expect, it } from 'vitest';
import { GIB, POD_SIZES, podSizeLabel } from '@nodeless/common';
import {
  addTenantInput,
  credentialText,
  CUSTOM_QUOTA,
  defaultExportPath,
  listFieldError,
  membersOf,
  removeTenantInput,
  EMPTY_ADD_FORM,
  expirySeconds,
  podsText,
  quotaOptions,
  quotaText,
  usageText,
} from './tenant-model.ts';

describe('add tenant form', () => {
  it('sends a namespace without limits', () => {
    expect(addTenantInput('c1', { ...EMPTY_ADD_FORM, namespace: ' team-a ' })).toEqual({
      ok: true,
      input: { clusterId: 'c1', namespace: 'team-a' },
    });
  });

  it('sends a size of the table as integers, and pods', () => {
    expect(
      addTenantInput('c1', { ...EMPTY_ADD_FORM, namespace: 'team-a', quota: '16x32', pods: '50' }),
    ).toEqual({
      ok: true,
      input: {
        clusterId: 'c1',
        namespace: 'team-a',
        quota: { cpuMilli: 16_000, memoryBytes: 32 * GIB },
        pods: 50,
      },
    });
  });

  it('sends whole vCPU and GiB of a custom quota as millicores and bytes', () => {
    const r = addTenantInput('c1', {
      ...EMPTY_ADD_FORM,
      namespace: 'team-a',
      quota: CUSTOM_QUOTA,
      vcpu: '24',
      gib: '96',
    });
    expect(r).toEqual({
      ok: true,
      input: {
        clusterId: 'c1',
        namespace: 'team-a',
        quota: { cpuMilli: 24_000, memoryBytes: 96 * GIB },
      },
    });
  });

  it('names each field to fix with the API keys', () => {
    const r = addTenantInput('c1', {
      namespace: '',
      extraNamespaces: '',
      quota: CUSTOM_QUOTA,
      vcpu: '1.5',
      gib: '0',
      pods: 'many',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.fieldErrors).sort()).toEqual([
      'namespace',
      'pods',
      'quota.cpuMilli',
      'quota.memoryBytes',
    ]);
    expect(r.fieldErrors['quota.cpuMilli']).toContain('whole number of vCPU');
  });

  it('offers every size of the table between no limit and a custom quota', () => {
    const options = quotaOptions();
    expect(options).toHaveLength(POD_SIZES.length + 2);
    expect(options[0]?.value).toBe('none');
    expect(options.at(-1)?.value).toBe(CUSTOM_QUOTA);
    expect(options.map((o) => o.value)).toContain(
      podSizeLabel({ cpuMilli: 250, memoryBytes: 512 * 1024 ** 2 }),
    );
  });
});

describe('tenant rows and exports', () => {
  it('reads quota, pods and use', () => {
    const row = {
      namespace: 'team-a',
      namespaces: ['team-a'],
      credentials: [],
      quota: { cpuMilli: 16_000, memoryBytes: 32 * GIB },
      pods: 50,
      used: { cpuMilli: 1500, memoryBytes: 3 * GIB, pods: 1 },
    };
    expect(quotaText(row)).toBe('16 vCPU / 32 GiB');
    expect(podsText(row)).toBe('50');
    expect(usageText(row)).toBe('1.5 vCPU / 3 GiB, 1 pod');
    // Sized pods plus sandbox overhead: rounded for reading.
    const small = {
      namespace: 'a',
      namespaces: ['a'],
      credentials: [],
      used: { cpuMilli: 500, memoryBytes: 673_185_792, pods: 1 },
    };
    expect(usageText(small)).toBe('0.5 vCPU / 642 MiB, 1 pod');
    const none = {
      namespace: 'a',
      namespaces: ['a'],
      credentials: [],
      quota: row.quota,
      used: { cpuMilli: 0, memoryBytes: 0, pods: 0 },
    };
    expect(usageText(none)).toBe('0 vCPU / 0 MiB, 0 pods');
    const bare = { namespace: 'b', namespaces: ['b'], credentials: [] };
    expect(quotaText(bare)).toBe('No limit');
    expect(podsText(bare)).toBe('No limit');
    expect(usageText(bare)).toBe('—');
  });

  it('has expiry choices in seconds and a default path per cluster and tenant', () => {
    expect(expirySeconds('1h')).toBe(3600);
    expect(expirySeconds('30d')).toBe(2_592_000);
    expect(defaultExportPath('my lab', 'team-a')).toBe('~/.kube/my-lab-team-a.yaml');
    expect(defaultExportPath('lab', 'team-a', 'default')).toBe('~/.kube/lab-team-a.yaml');
    expect(defaultExportPath('lab', 'team-a', ' alice ')).toBe('~/.kube/lab-team-a-alice.yaml');
  });
});

describe('tenants of several namespaces, members and removal', () => {
  const row = {
    namespace: 'team-a',
    namespaces: ['team-a', 'team-a-staging'],
    credentials: [
      {
        member: 'alice',
        credential: 'certificate' as const,
        issuedAt: '2030-01-01T00:00:00Z',
        expiresAt: '2030-01-02T00:00:00Z',
      },
      {
        member: 'bob',
        credential: 'token' as const,
        issuedAt: '2030-01-01T00:00:00Z',
        expiresAt: '2030-01-02T00:00:00Z',
      },
      {
        member: 'alice',
        credential: 'token' as const,
        issuedAt: '2030-01-01T00:00:00Z',
        expiresAt: '2030-01-02T00:00:00Z',
      },
    ],
  };

  it('sends further namespaces typed with spaces or commas, without the tenant itself', () => {
    const r = addTenantInput('c1', {
      ...EMPTY_ADD_FORM,
      namespace: 'team-a',
      extraNamespaces: 'team-a-staging, team-a  team-a-dev team-a-dev',
    });
    expect(r).toEqual({
      ok: true,
      input: {
        clusterId: 'c1',
        namespace: 'team-a',
        extraNamespaces: ['team-a-staging', 'team-a-dev'],
      },
    });
    expect(listFieldError({ 'extraNamespaces.1': 'is reserved' }, 'extraNamespaces')).toBe(
      'is reserved',
    );
    expect(listFieldError({ namespace: 'x' }, 'extraNamespaces')).toBeUndefined();
  });

  it('lists members once and says what each credential is', () => {
    expect(membersOf(row)).toEqual(['alice', 'bob']);
    const [first, second] = row.credentials;
    if (!first || !second) throw new Error('fixture');
    expect(credentialText(first, 'en-GB')).toMatch(/^certificate until 0?2\/01\/2030/);
    expect(credentialText(second)).toMatch(/^token until /);
  });

  it('removes only after the tenant name is typed, deleting only namespaces of the tenant', () => {
    expect(removeTenantInput('c1', row, { confirm: 'team-a', deleteNamespaces: '' })).toEqual({
      ok: true,
      input: { clusterId: 'c1', namespace: 'team-a' },
    });
    expect(
      removeTenantInput('c1', row, { confirm: 'team-a', deleteNamespaces: 'team-a-staging' }),
    ).toEqual({
      ok: true,
      input: { clusterId: 'c1', namespace: 'team-a', deleteNamespaces: ['team-a-staging'] },
    });
    const wrong = removeTenantInput('c1', row, { confirm: 'team', deleteNamespaces: 'default' });
    expect(wrong.ok).toBe(false);
    if (wrong.ok) return;
    expect(wrong.fieldErrors['confirm']).toContain("must be the tenant's name, team-a");
    expect(wrong.fieldErrors['deleteNamespaces']).toContain('default is not among');
  });
});
