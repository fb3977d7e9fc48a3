import { describe, expect, it } from 'vitest';
import { decodeKubeProtobuf } from './protobuf.ts';
import { HttpError } from './status.ts';

/** Minimal protobuf writer for the test: varints and length-delimited fields. */
const varint = (n: number): number[] => {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
};
const bytesField = (no: number, data: number[] | string): number[] => {
  const b = typeof data === 'string' ? [...Buffer.from(data)] : data;
  return [...varint((no << 3) | 2), ...varint(b.length), ...b];
};
const intField = (no: number, n: number): number[] => [...varint(no << 3), ...varint(n)];
const envelope = (apiVersion: string, kind: string, raw: number[]): Buffer =>
  Buffer.from([
    0x6b,
    0x38,
    0x73,
    0x00,
    ...bytesField(1, [...bytesField(1, apiVersion), ...bytesField(2, kind)]),
    ...bytesField(2, raw),
  ]);

describe('Kubernetes protobuf bodies', () => {
  it('decodes a Deployment with maps, nested messages, pointer zeros and dropped empties', () => {
    const meta = [
      ...bytesField(1, 'web'),
      ...bytesField(3, ''),
      ...bytesField(11, [...bytesField(1, 'app'), ...bytesField(2, 'web')]),
    ];
    const container = [
      ...bytesField(1, 'c'),
      ...bytesField(2, 'nginx:1.27'),
      ...bytesField(6, intField(3, 8080)),
      ...intField(16, 0),
    ];
    const template = [...bytesField(2, bytesField(2, container))];
    const spec = [...intField(1, 0), ...bytesField(3, template)];
    const body = envelope('apps/v1', 'Deployment', [
      ...bytesField(1, meta),
      ...bytesField(2, spec),
    ]);
    expect(decodeKubeProtobuf(body)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 0,
        template: {
          spec: {
            containers: [{ name: 'c', image: 'nginx:1.27', ports: [{ containerPort: 8080 }] }],
          },
        },
      },
    });
  });

  it('refuses kinds it has no table for with 415, and garbage with 400', () => {
    const unknownKind = envelope('v1', 'Frobnicator', []);
    expect(() => decodeKubeProtobuf(unknownKind)).toThrow(HttpError);
    try {
      decodeKubeProtobuf(unknownKind);
    } catch (err) {
      expect((err as HttpError).code).toBe(415);
    }
    const truncated = Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x20, 0x01]);
    try {
      decodeKubeProtobuf(truncated);
      throw new Error('expected a failure');
    } catch (err) {
      expect((err as HttpError).code).toBe(400);
    }
  });
});
