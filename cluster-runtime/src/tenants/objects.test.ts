import { describe, expect, it } from 'vitest';
import { GIB, MIB } from '@nodeless/common';
import { TenantInputError, tenantNamespaceProblem, assertTenantNamespace } from './names.ts';
import {
  cpuQuantity,
  memoryQuantity,
  TENANT_LABEL,
  tenantNamespaceObject,
  tenantQuotaObject,
  validateLimits,
} from './objects.ts';

describe('tenant names', () => {
  it.each([
    ['kube-system', /reserved for the system/],
    ['kube-team', /reserved for the system/],
    ['nodeless-system', /reserved for the system/],
    ['Team', /not a DNS-1123 label/],
    ['team_a', /not a DNS-1123 label/],
    ['-team', /not a DNS-1123 label/],
    ['team-', /not a DNS-1123 label/],
    ['a'.repeat(64), /longer than 63/],
    ['', /is required/],
  ])('refuses %s', (name, problem) => {
    expect(tenantNamespaceProblem(name)).toMatch(problem);
    expect(() => assertTenantNamespace(name)).toThrow(TenantInputError);
  });

  it('accepts DNS-1123 labels, and the error names the field', () => {
    for (const ok of ['team-a', 'a', '0day', 'a'.repeat(63), 'default']) {
      expect(tenantNamespaceProblem(ok)).toBeUndefined();
    }
    const error = (() => {
      try {
        assertTenantNamespace('kube-x');
      } catch (e) {
        return e as TenantInputError;
      }
      return undefined;
    })();
    expect(error?.field).toBe('namespace');
    expect(error?.message).toMatch(/^namespace: "kube-x" is reserved/);
  });
});

describe('tenant objects', () => {
  it('renders integer quotas as exact Kubernetes quantities', () => {
    expect(cpuQuantity(16_000)).toBe('16');
    expect(cpuQuantity(500)).toBe('500m');
    expect(cpuQuantity(2_250)).toBe('2250m');
    expect(memoryQuantity(32 * GIB)).toBe('32Gi');
    expect(memoryQuantity(512 * MIB)).toBe('512Mi');
    expect(memoryQuantity(1000)).toBe('1000');
  });

  it('caps requests and limits of cpu and memory, and pods', () => {
    const rq = tenantQuotaObject('team-a', {
      quota: { cpuMilli: 16_000, memoryBytes: 32 * GIB },
      pods: 50,
    });
    expect(rq?.metadata).toMatchObject({ name: 'nodeless-tenant', namespace: 'team-a' });
    expect(rq?.spec?.hard).toEqual({
      'requests.cpu': '16',
      'limits.cpu': '16',
      'requests.memory': '32Gi',
      'limits.memory': '32Gi',
      pods: '50',
    });
    expect(tenantQuotaObject('team-a', { pods: 3 })?.spec?.hard).toEqual({ pods: '3' });
    expect(tenantQuotaObject('team-a', {})).toBeUndefined();
  });

  it('labels the namespace as the tenant', () => {
    expect(tenantNamespaceObject('team-a').metadata?.labels?.[TENANT_LABEL]).toBe('team-a');
  });

  it('refuses quotas that are not positive integers, naming the field', () => {
    expect(() => validateLimits({ quota: { cpuMilli: 0, memoryBytes: GIB } })).toThrow(
      /^quota\.cpuMilli: must be a positive whole number/,
    );
    expect(() => validateLimits({ quota: { cpuMilli: 1000, memoryBytes: 1.5 } })).toThrow(
      /^quota\.memoryBytes:/,
    );
    expect(() => validateLimits({ pods: -1 })).toThrow(/^pods:/);
    expect(() => validateLimits({ quota: { cpuMilli: 1, memoryBytes: 1 }, pods: 1 })).not.toThrow();
  });
});
