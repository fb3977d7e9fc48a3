import { describe, expect, it } from 'vitest';
import type { KubernetesObject } from '@kubernetes/client-node';
import { GIB, MIB, POD_SIZES, podSizeLabel } from '@nodeless/common';
import { milliOf, sizeOrderLiteral, sizeTableLiteral } from './cel.ts';
import {
  isTenantNamespace,
  podSecurityLabelled,
  POLICY_VERSION_ANNOTATION,
  policySetVersion,
  serverlessPolicies,
} from './manifest.ts';
import { machinesOf, policyParams } from './params.ts';

interface PolicySpec {
  validations?: { expression: string; messageExpression: string }[];
  variables?: { name: string; expression: string }[];
}
const spec = (o: KubernetesObject): PolicySpec => (o as { spec?: PolicySpec }).spec ?? {};
const named = (name: string, kind = 'ValidatingAdmissionPolicy'): KubernetesObject => {
  const o = serverlessPolicies().find((p) => p.kind === kind && p.metadata?.name === name);
  if (!o) throw new Error(`no ${kind} ${name}`);
  return o;
};

describe('size table in CEL', () => {
  it('renders every size of common’s table, in its order, by its label', () => {
    const entries = [...sizeTableLiteral().matchAll(/'([^']+)': \[(\d+), (\d+)\]/g)].map(
      ([, label, cpu, mem]) => ({ label, cpuMilli: Number(cpu), memoryBytes: Number(mem) }),
    );
    expect(entries).toEqual(POD_SIZES.map((s) => ({ label: podSizeLabel(s), ...s })));
    expect(sizeOrderLiteral()).toBe(`[${POD_SIZES.map((s) => `'${podSizeLabel(s)}'`).join(', ')}]`);
    expect(entries.at(-1)).toEqual({ label: '16x128', cpuMilli: 16000, memoryBytes: 128 * GIB });
  });

  it('writes every policy’s size table from the same render', () => {
    for (const name of ['nodeless-pods', 'nodeless-pod-templates', 'nodeless-cronjobs']) {
      const sizes = spec(named(name)).variables?.find((v) => v.name === 'sizes');
      expect(sizes?.expression).toBe(sizeTableLiteral());
    }
  });

  it('converts CPU quantities with an exact correction of the float estimate', () => {
    expect(milliOf('x')).toContain(
      `quantity(string(int(quantity(x).asApproximateFloat() * 1000.0)) + 'm').isLessThan(quantity(x))`,
    );
  });
});

describe('policy set', () => {
  it('is versioned by its content, stamped on every object, policies before bindings', () => {
    const objects = serverlessPolicies();
    const version = policySetVersion();
    expect(version).toMatch(/^[0-9a-f]{12}$/);
    expect(
      new Set(objects.map((o) => o.metadata?.annotations?.[POLICY_VERSION_ANNOTATION])),
    ).toEqual(new Set([version]));
    const firstBinding = objects.findIndex((o) => o.kind?.endsWith('Binding'));
    expect(objects.slice(firstBinding).every((o) => o.kind?.endsWith('Binding'))).toBe(true);
    const changed = objects.map((o) => ({
      ...o,
      metadata: { ...o.metadata, name: `${o.metadata?.name}x` },
    }));
    expect(policySetVersion(changed)).not.toBe(version);
  });

  it('names the field path of its location in every template refusal', () => {
    const paths: Record<string, string> = {
      'nodeless-pod-templates': 'spec.template.spec.',
      'nodeless-cronjobs': 'spec.jobTemplate.spec.template.spec.',
    };
    for (const [name, path] of Object.entries(paths)) {
      const validations = spec(named(name)).validations ?? [];
      expect(validations.length).toBeGreaterThanOrEqual(12);
      for (const v of validations)
        expect(
          v.messageExpression.includes(path) ||
            v.messageExpression.includes(`(${path.slice(0, -1)}`),
        ).toBe(true);
    }
  });

  it('treats every namespace but kube-* and nodeless-system as a tenant’s', () => {
    expect(['default', 'team-a', 'kubeflow'].every(isTenantNamespace)).toBe(true);
    expect(
      ['kube-system', 'kube-public', 'kube-node-lease', 'nodeless-system'].some(isTenantNamespace),
    ).toBe(false);
    expect(
      podSecurityLabelled(['default', 'kube-system', 'nodeless-system']).map(
        (o) => o.metadata?.name,
      ),
    ).toEqual(['default']);
  });
});

describe('policy params', () => {
  it('record the sandbox, its overhead and every machine’s allocatable in integers', () => {
    const machines = machinesOf([
      { metadata: { name: 'b' }, status: { allocatable: { cpu: '3900m', memory: '15Gi' } } },
      { metadata: { name: 'a' }, status: { allocatable: { cpu: '8', memory: '32766Mi' } } },
      { metadata: { name: 'starting' }, status: {} },
    ]);
    expect(policyParams('kata-qemu', machines).data).toEqual({
      runtimeClassName: 'kata-qemu',
      overheadCpuMilli: '250',
      overheadMemoryBytes: String(160 * MIB),
      'machine.a': `8000,${32766 * MIB}`,
      'machine.b': `3900,${15 * GIB}`,
    });
    expect(policyParams('gvisor', []).data).toEqual({
      runtimeClassName: 'gvisor',
      overheadCpuMilli: '0',
      overheadMemoryBytes: '0',
    });
  });
});
