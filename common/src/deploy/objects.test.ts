import { describe, expect, it } from 'vitest';
import { GIB, MIB } from '../quantity.ts';
import { formFieldInMessage, formFieldOfPath } from './field-paths.ts';
import { emptyDeployForm, type DeployForm } from './form.ts';
import { cpuQuantity, deployObjects, memoryQuantity } from './objects.ts';

const full: DeployForm = {
  ...emptyDeployForm('shop'),
  name: 'web',
  createNamespace: true,
  image: 'nginx:1.27',
  size: { cpuMilli: 500, memoryBytes: GIB },
  replicas: '2',
  command: ['nginx', '', '-g'],
  args: ['daemon off;'],
  env: [
    { name: 'MODE', from: 'value', value: 'prod', sourceName: '', sourceKey: '' },
    { name: 'TOKEN', from: 'secret', value: '', sourceName: 'creds', sourceKey: 'token' },
    { name: 'LEVEL', from: 'configMap', value: '', sourceName: 'cfg', sourceKey: 'level' },
  ],
  ports: [
    { name: 'http', containerPort: '8080', protocol: 'TCP' },
    { name: 'dns', containerPort: '53', protocol: 'UDP' },
  ],
  expose: 'LoadBalancer',
  probe: {
    kind: 'http',
    path: '/ready',
    port: 'http',
    periodSeconds: '5',
    initialDelaySeconds: '2',
  },
};

describe('deployObjects', () => {
  it('builds Namespace, Deployment and Service in apply order, sized at the container', () => {
    const [ns, deploy, svc, ...rest] = deployObjects(full);
    expect(rest).toEqual([]);
    expect(ns).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    const labels = { 'app.kubernetes.io/name': 'web', 'nodeless.dev/size': '0.5x1' };
    expect(deploy).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop', labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'web',
                image: 'nginx:1.27',
                command: ['nginx', '-g'],
                args: ['daemon off;'],
                env: [
                  { name: 'MODE', value: 'prod' },
                  { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } },
                  { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'level' } } },
                ],
                ports: [
                  { name: 'http', containerPort: 8080, protocol: 'TCP' },
                  { name: 'dns', containerPort: 53, protocol: 'UDP' },
                ],
                resources: {
                  requests: { cpu: '500m', memory: '1Gi' },
                  limits: { cpu: '500m', memory: '1Gi' },
                },
                readinessProbe: {
                  httpGet: { path: '/ready', port: 'http' },
                  initialDelaySeconds: 2,
                  periodSeconds: 5,
                },
              },
            ],
          },
        },
      },
    });
    expect(svc).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop', labels: { 'app.kubernetes.io/name': 'web' } },
      spec: {
        type: 'LoadBalancer',
        selector: { 'app.kubernetes.io/name': 'web' },
        ports: [
          { name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' },
          { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' },
        ],
      },
    });
  });

  it('leaves out what the form does not ask for: no Namespace, Service, env, ports or probe', () => {
    const objects = deployObjects({ ...emptyDeployForm('shop'), name: 'api', image: 'api:1' });
    expect(objects.map((o) => o.kind)).toEqual(['Deployment']);
    const spec = objects[0]?.spec as { template: { spec: { containers: object[] } } };
    expect(spec.template.spec.containers[0]).toEqual({
      name: 'api',
      image: 'api:1',
      resources: {
        requests: { cpu: '250m', memory: '512Mi' },
        limits: { cpu: '250m', memory: '512Mi' },
      },
    });
  });

  it('writes a TCP probe on a port number', () => {
    const form = { ...full, probe: { ...full.probe, kind: 'tcp' as const, port: '8080' } };
    const spec = deployObjects(form)[1]?.spec as {
      template: { spec: { containers: [{ readinessProbe: unknown }] } };
    };
    expect(spec.template.spec.containers[0].readinessProbe).toEqual({
      tcpSocket: { port: 8080 },
      initialDelaySeconds: 2,
      periodSeconds: 5,
    });
  });

  it('writes quantities as the API server stores them', () => {
    expect([250, 1000, 1500, 16000].map(cpuQuantity)).toEqual(['250m', '1', '1500m', '16']);
    expect([512 * MIB, GIB, 3 * GIB, 3 * MIB + 1].map(memoryQuantity)).toEqual([
      '512Mi',
      '1Gi',
      '3Gi',
      String(3 * MIB + 1),
    ]);
  });
});

describe('formFieldOfPath', () => {
  it('maps 422 cause paths of each object to the form field', () => {
    expect(formFieldOfPath('Deployment', 'spec.template.spec.containers[0].image', full)).toBe(
      'image',
    );
    expect(formFieldOfPath('Deployment', 'spec.replicas', full)).toBe('replicas');
    expect(formFieldOfPath('Deployment', 'metadata.name', full)).toBe('name');
    expect(
      formFieldOfPath(
        'Deployment',
        'spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef.key',
        full,
      ),
    ).toBe('env.1.sourceKey');
    expect(
      formFieldOfPath(
        'Deployment',
        'spec.template.spec.containers[0].ports[1].containerPort',
        full,
      ),
    ).toBe('ports.1.containerPort');
    expect(
      formFieldOfPath('Deployment', 'spec.template.spec.containers[0].resources.limits[cpu]', full),
    ).toBe('size');
    expect(
      formFieldOfPath(
        'Deployment',
        'spec.template.spec.containers[0].readinessProbe.httpGet.path',
        full,
      ),
    ).toBe('probe.path');
    expect(formFieldOfPath('Service', 'spec.ports[1].port', full)).toBe('ports.1.containerPort');
    expect(formFieldOfPath('Service', 'spec.type', full)).toBe('expose');
    expect(formFieldOfPath('Namespace', 'metadata.name', full)).toBe('namespace');
    expect(formFieldOfPath('Pod', 'spec.containers[0].image', full)).toBe('image');
    expect(formFieldOfPath('Deployment', 'spec.strategy', full)).toBeUndefined();
  });

  it('maps server-side apply conflict paths (list items by key) to the form field', () => {
    expect(formFieldOfPath('Deployment', '.spec.replicas', full)).toBe('replicas');
    expect(
      formFieldOfPath(
        'Deployment',
        '.spec.template.spec.containers[name="web"].env[name="LEVEL"].valueFrom',
        full,
      ),
    ).toBe('env.2.sourceName');
    expect(
      formFieldOfPath(
        'Deployment',
        '.spec.template.spec.containers[name="web"].env[name="MODE"].value',
        full,
      ),
    ).toBe('env.0.value');
    expect(
      formFieldOfPath(
        'Deployment',
        '.spec.template.spec.containers[name="web"].ports[containerPort=53,protocol="UDP"].name',
        full,
      ),
    ).toBe('ports.1.name');
    expect(formFieldOfPath('Service', '.spec.ports[port=8080,protocol="TCP"].port', full)).toBe(
      'ports.0.containerPort',
    );
    expect(
      formFieldOfPath('Deployment', '.spec.template.spec.containers[name="web"].image', full),
    ).toBe('image');
  });

  it('finds the field a policy message names', () => {
    const message = 'spec.template.spec.containers[0].image: Invalid value: "": must not be empty';
    expect(formFieldInMessage('Deployment', message, full)).toBe('image');
    expect(formFieldInMessage('Deployment', 'exceeded quota: q', full)).toBeUndefined();
  });
});
