import { describe, expect, it } from 'vitest';
import { effectiveRequest, podSizeOf } from './effective-request.ts';
import { PodTooLargeError } from './pod-sizes.ts';
import { GIB, MIB, QuantityError } from './quantity.ts';

const c = (requests?: Record<string, string>, limits?: Record<string, string>) => ({
  resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) },
});

describe('effective request', () => {
  it('sums containers; limits win over requests', () => {
    expect(
      effectiveRequest({
        containers: [
          c({ cpu: '250m', memory: '256Mi' }),
          c({ cpu: '100m', memory: '64Mi' }, { cpu: '500m', memory: '512Mi' }),
        ],
      }),
    ).toEqual({ cpuMilli: 750, memoryBytes: 768 * MIB });
  });

  it('takes the max with init containers, per resource', () => {
    expect(
      effectiveRequest({
        containers: [c({ cpu: '250m', memory: '1Gi' })],
        initContainers: [c({ cpu: '2', memory: '64Mi' }), c({ cpu: '1', memory: '128Mi' })],
      }),
    ).toEqual({ cpuMilli: 2000, memoryBytes: GIB });
  });

  it('counts sidecars (restartable init containers) beside everything after them', () => {
    const sidecar = { ...c({ cpu: '500m', memory: '256Mi' }), restartPolicy: 'Always' };
    expect(
      effectiveRequest({
        containers: [c({ cpu: '1', memory: '1Gi' })],
        // The init container after the sidecar runs beside it: 1.5 + 0.5 = 2 vCPU.
        initContainers: [sidecar, c({ cpu: '1500m', memory: '64Mi' })],
      }),
    ).toEqual({ cpuMilli: 2000, memoryBytes: GIB + 256 * MIB });
  });

  it('lets pod-level resources win where they are set', () => {
    expect(
      effectiveRequest({
        containers: [c({ cpu: '250m', memory: '1Gi' })],
        resources: { limits: { cpu: '4' } },
      }),
    ).toEqual({ cpuMilli: 4000, memoryBytes: GIB });
  });

  it('is zero for a pod that asks for nothing', () => {
    expect(effectiveRequest({ containers: [{}, { resources: {} }] })).toEqual({
      cpuMilli: 0,
      memoryBytes: 0,
    });
  });

  it('names a malformed quantity', () => {
    expect(() => effectiveRequest({ containers: [c({ cpu: '2 cores' })] })).toThrow(QuantityError);
    expect(() => effectiveRequest({ containers: [c({ cpu: '2 cores' })] })).toThrow(/"2 cores"/);
  });
});

describe('billable size of a pod', () => {
  it('rounds the effective request up to the smallest size that holds it', () => {
    expect(
      podSizeOf({
        containers: [c({ cpu: '3', memory: '6Gi' }), c({ cpu: '4', memory: '7Gi' })],
      }),
    ).toEqual({ cpuMilli: 8000, memoryBytes: 16 * GIB });
  });

  it('gives the default size to a pod that asks for nothing', () => {
    expect(podSizeOf({ containers: [{}] })).toEqual({ cpuMilli: 250, memoryBytes: 512 * MIB });
  });

  it('refuses a pod bigger than any size', () => {
    expect(() => podSizeOf({ containers: [c({ cpu: '32' })] })).toThrow(PodTooLargeError);
  });
});
