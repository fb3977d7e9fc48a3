import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { deployObjects, emptyDeployForm, GIB, type DeployForm } from '@nodeless/common';
import {
  conflictNotes,
  formErrors,
  memoryChoices,
  memoryLabel,
  planKey,
  previewYaml,
  priceText,
  textToLines,
  unplacedErrors,
} from './deploy-model.ts';

const form: DeployForm = {
  ...emptyDeployForm('shop'),
  name: 'web',
  createNamespace: true,
  image: 'nginx:1.27',
  ports: [{ name: 'http', containerPort: '80', protocol: 'TCP' }],
  expose: 'ClusterIP',
};

describe('deploy dialog model', () => {
  it('previews exactly the objects the backend applies, one YAML document each', () => {
    const docs = parseAllDocuments(previewYaml(form)).map((d) => d.toJS() as unknown);
    expect(docs).toEqual(deployObjects(form));
    expect(docs).toHaveLength(3);
    // Plain YAML as kubectl prints it: no anchors or aliases for the repeated labels.
    expect(previewYaml(form)).not.toMatch(/[&*]a\d/);
  });

  it('keeps typed lines, empty text is no items', () => {
    expect(textToLines('')).toEqual([]);
    expect(textToLines('nginx\n-g\n')).toEqual(['nginx', '-g', '']);
  });

  it('brings API field errors back to form keys and lists those no control shows', () => {
    const errors = formErrors({ 'form.image': 'is required', form: 'violates PodSecurity' });
    expect(errors).toEqual({ image: 'is required', form: 'violates PodSecurity' });
    expect(unplacedErrors(form, errors)).toEqual(['violates PodSecurity']);
    expect(unplacedErrors(form, { 'ports.0.name': 'x', 'ports.3.name': 'y' })).toEqual([
      'ports.3.name: y',
    ]);
  });

  it('words conflicts for the field they came from', () => {
    expect(
      conflictNotes([
        {
          kind: 'Deployment',
          name: 'web',
          path: '.spec.replicas',
          field: 'replicas',
          manager: 'kubectl',
          subresource: 'scale',
        },
        { kind: 'Deployment', name: 'web', path: '.spec.paused', manager: 'helm' },
      ]),
    ).toEqual({
      replicas: 'is also set by kubectl through scale (Deployment .spec.replicas)',
      form: 'is also set by helm (Deployment .spec.paused)',
    });
  });

  it('labels sizes and leaves the price to metering', () => {
    expect(memoryChoices({ cpuMilli: 250, memoryBytes: GIB / 2 }).map(memoryLabel)).toEqual([
      '512 MiB',
      '1 GiB',
      '2 GiB',
    ]);
    expect(priceText(() => undefined, form.size, '2')).toMatch(/once metering has prices/);
    expect(priceText(() => ({ microsPerHour: 12_500, currency: 'EUR' }), form.size, '2')).toBe(
      '0.0125 EUR per pod-hour (0.0250 EUR per hour for 2)',
    );
  });
});

describe('planKey', () => {
  it('changes with the objects the form makes and their namespace, not with their contents', () => {
    const key = planKey(form);
    expect(planKey({ ...form, image: 'nginx:1.28', replicas: '5' })).toBe(key);
    expect(planKey({ ...form, expose: 'none' })).not.toBe(key);
    expect(planKey({ ...form, name: 'api' })).not.toBe(key);
    expect(planKey({ ...form, namespace: 'other' })).not.toBe(key);
  });
});
