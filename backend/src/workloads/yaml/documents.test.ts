import { describe, expect, it } from 'vitest';
import { lineOfPath, parseManifest } from './documents.ts';
import { parseFieldPath } from './field-path.ts';

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item ${index}`);
  return item;
}

const MANIFEST = `# a comment
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: sidecar
          image: busybox
        - name: web
          image: nginx
          ports:
            - containerPort: 80
              protocol: TCP
---
# empty
---
apiVersion: v1
kind: ConfigMap
metadata: {name: conf}
`;

describe('parseManifest', () => {
  it('splits documents with the line each starts at, empty ones counted', () => {
    const m = parseManifest(MANIFEST);
    expect(m.syntax).toEqual([]);
    expect(m.documents.map((d) => [d.index, d.line])).toEqual([
      [0, 2],
      [1, 7],
      [2, 24],
      [3, 27],
    ]);
    expect(m.documents[2]?.value).toBeNull();
    expect(m.documents[3]?.value).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'conf' },
    });
  });

  it('reports a syntax error at its line in its document, without the parser snippet', () => {
    const m = parseManifest('a: 1\n---\nb: [1, 2\nc: 3\n---\nd: 4\n  e: 5\n');
    expect(m.syntax.length).toBeGreaterThan(0);
    expect(m.syntax.map((s) => s.document)).toContain(1);
    expect(m.syntax.find((s) => s.document === 1)?.line).toBe(4);
    expect(m.syntax.find((s) => s.document === 2)?.line).toBe(6);
    expect(m.syntax.some((s) => s.document === 0)).toBe(false);
    for (const s of m.syntax) expect(s.message).not.toContain('\n');
  });

  it('refuses a key given twice (the server would take the last silently)', () => {
    const m = parseManifest('metadata:\n  name: a\n  name: b\n');
    expect(m.syntax).toHaveLength(1);
    expect(m.syntax[0]?.line).toBe(3);
    expect(m.syntax[0]?.message).toMatch(/unique/i);
  });
});

describe('lineOfPath', () => {
  const m = parseManifest(MANIFEST);
  const deployment = at(m.documents, 1);
  const line = (path: string) => lineOfPath(deployment, parseFieldPath(path), m.lineAt);

  it('finds a key the validation names', () => expect(line('spec.replicas')).toBe(13));

  it('finds a list item by index (strict decoding) and by its key (server-side apply)', () => {
    expect(line('spec.template.spec.containers[1].image')).toBe(20);
    expect(line('.spec.template.spec.containers[name="web"].image')).toBe(20);
    expect(line('.spec.template.spec.containers[name="sidecar"]')).toBe(17);
    expect(
      line('.spec.template.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"]'),
    ).toBe(22);
  });

  it('falls back to the deepest ancestor the document has', () => {
    expect(line('spec.template.spec.containers[1].resources.limits')).toBe(19);
    expect(line('spec.selector')).toBe(12);
    expect(line('nothing.here')).toBe(7);
  });

  it('finds keys in flow mappings', () => {
    const conf = at(m.documents, 3);
    expect(lineOfPath(conf, ['metadata', 'name'], m.lineAt)).toBe(29);
  });
});
