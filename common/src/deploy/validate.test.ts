import { describe, expect, it } from 'vitest';
import { GIB } from '../quantity.ts';
import { emptyDeployForm, type DeployForm } from './form.ts';
import { cpuChoices, withCpu } from './size-choice.ts';
import { validateDeployForm } from './validate.ts';

const valid = (over: Partial<DeployForm> = {}): DeployForm => ({
  ...emptyDeployForm('shop'),
  name: 'web',
  image: 'nginx:1.27',
  ...over,
});

describe('validateDeployForm', () => {
  it('accepts a minimal form', () => {
    expect(validateDeployForm(valid())).toEqual({});
  });

  it('names the empty form’s required fields', () => {
    const errors = validateDeployForm(emptyDeployForm());
    expect(errors['name']).toBe('is required');
    expect(errors['image']).toBe('is required');
    expect(errors['namespace']).toBeUndefined();
  });

  it('checks names as DNS-1123 labels, and a letter first when exposed', () => {
    expect(validateDeployForm(valid({ name: 'Web' }))['name']).toMatch(/lower-case/);
    expect(validateDeployForm(valid({ name: 'a'.repeat(64) }))['name']).toMatch(/63/);
    expect(validateDeployForm(valid({ name: '-web' }))['name']).toMatch(/starting and ending/);
    expect(validateDeployForm(valid({ name: '1web' }))['name']).toBeUndefined();
    const exposed = valid({
      name: '1web',
      expose: 'ClusterIP',
      ports: [{ name: '', containerPort: '80', protocol: 'TCP' }],
    });
    expect(validateDeployForm(exposed)['name']).toMatch(/start with a letter/);
    expect(validateDeployForm(valid({ namespace: 'Shop' }))['namespace']).toMatch(/lower-case/);
  });

  it('refuses an image with spaces and a size outside the table', () => {
    expect(validateDeployForm(valid({ image: 'nginx 1' }))['image']).toMatch(/spaces/);
    const size = { cpuMilli: 300, memoryBytes: GIB };
    expect(validateDeployForm(valid({ size }))['size']).toMatch(/pod sizes/);
  });

  it('checks replicas as a whole number in range', () => {
    expect(validateDeployForm(valid({ replicas: '' }))['replicas']).toBe('is required');
    expect(validateDeployForm(valid({ replicas: '1.5' }))['replicas']).toMatch(/whole/);
    expect(validateDeployForm(valid({ replicas: '-1' }))['replicas']).toMatch(/whole/);
    expect(validateDeployForm(valid({ replicas: '10001' }))['replicas']).toMatch(/between 0/);
    expect(validateDeployForm(valid({ replicas: '0' }))['replicas']).toBeUndefined();
  });

  it('checks env names as C identifiers, duplicates, and Secret/ConfigMap references', () => {
    const errors = validateDeployForm(
      valid({
        env: [
          { name: '1A', from: 'value', value: '', sourceName: '', sourceKey: '' },
          { name: 'MODE', from: 'value', value: 'x', sourceName: '', sourceKey: '' },
          { name: 'MODE', from: 'value', value: 'y', sourceName: '', sourceKey: '' },
          { name: 'TOKEN', from: 'secret', value: '', sourceName: 'Creds', sourceKey: 'a b' },
          { name: 'CFG', from: 'configMap', value: '', sourceName: 'cfg', sourceKey: '' },
          { name: 'OK_1', from: 'configMap', value: '', sourceName: 'cfg.v1', sourceKey: 'k.y' },
        ],
      }),
    );
    expect(errors).toEqual({
      'env.0.name': 'must be letters, digits and _, not starting with a digit',
      'env.2.name': 'is already set above (MODE)',
      'env.3.sourceName': expect.stringMatching(/lower-case/) as unknown as string,
      'env.3.sourceKey': "must be letters, digits, '-', '_' and '.'",
      'env.4.sourceKey': 'is required',
    });
  });

  it('checks ports: range, names, duplicates, names required when several are exposed', () => {
    const ports = (list: [string, string][], expose: DeployForm['expose'] = 'none') =>
      validateDeployForm(
        valid({
          expose,
          ports: list.map(([name, containerPort]) => ({ name, containerPort, protocol: 'TCP' })),
        }),
      );
    expect(ports([['', '0']])['ports.0.containerPort']).toBe('must be between 1 and 65535');
    expect(ports([['', '65536']])['ports.0.containerPort']).toBe('must be between 1 and 65535');
    expect(ports([['', '80']])).toEqual({});
    expect(
      ports([
        ['http', '80'],
        ['http', '81'],
      ])['ports.1.name'],
    ).toMatch(/already used/);
    expect(
      ports([
        ['a', '80'],
        ['b', '80'],
      ])['ports.1.containerPort'],
    ).toMatch(/80\/TCP/);
    expect(ports([['123', '80']])['ports.0.name']).toMatch(/letter/);
    expect(ports([['a--b', '80']])['ports.0.name']).toMatch(/--/);
    expect(ports([['very-long-port-name', '80']])['ports.0.name']).toMatch(/15/);
    expect(
      ports(
        [
          ['', '80'],
          ['', '81'],
        ],
        'ClusterIP',
      )['ports.0.name'],
    ).toMatch(/several/);
    expect(ports([], 'LoadBalancer')['expose']).toMatch(/at least one port/);
  });

  it('checks the readiness probe', () => {
    const probe = (p: Partial<DeployForm['probe']>, ports: DeployForm['ports'] = []) =>
      validateDeployForm(valid({ ports, probe: { ...valid().probe, ...p } }));
    expect(probe({ kind: 'none', port: '' })).toEqual({});
    expect(probe({ kind: 'http', path: 'healthz', port: '8080' })['probe.path']).toMatch(/'\/'/);
    expect(probe({ kind: 'tcp', port: '' })['probe.port']).toBe('is required');
    expect(probe({ kind: 'tcp', port: '70000' })['probe.port']).toMatch(/65535/);
    expect(probe({ kind: 'tcp', port: 'http' })['probe.port']).toMatch(/name of one of/);
    const http = [{ name: 'http', containerPort: '80', protocol: 'TCP' as const }];
    expect(probe({ kind: 'http', path: '/ready', port: 'http' }, http)).toEqual({});
    expect(probe({ kind: 'tcp', port: '80', periodSeconds: '0' })['probe.periodSeconds']).toMatch(
      /between 1/,
    );
    expect(
      probe({ kind: 'tcp', port: '80', initialDelaySeconds: 'x' })['probe.initialDelaySeconds'],
    ).toMatch(/whole/);
  });
});

describe('size choices', () => {
  it('lists the vCPUs of the table, each with its memory choices', () => {
    const choices = cpuChoices();
    expect(choices.map((c) => c.cpuMilli)).toEqual([250, 500, 1000, 2000, 4000, 6000, 8000, 16000]);
    expect(choices[0]?.memoryBytes).toEqual([GIB / 2, GIB, 2 * GIB]);
    expect(choices[2]?.memoryBytes).toHaveLength(7);
  });

  it('keeps the memory when the new vCPU offers it, else takes the nearest choice', () => {
    expect(withCpu({ cpuMilli: 500, memoryBytes: 2 * GIB }, 1000)).toEqual({
      cpuMilli: 1000,
      memoryBytes: 2 * GIB,
    });
    expect(withCpu({ cpuMilli: 250, memoryBytes: GIB / 2 }, 2000)).toEqual({
      cpuMilli: 2000,
      memoryBytes: 4 * GIB,
    });
    expect(withCpu({ cpuMilli: 2000, memoryBytes: 16 * GIB }, 250)).toEqual({
      cpuMilli: 250,
      memoryBytes: 2 * GIB,
    });
  });
});
