/**
 * Apply YAML end to end (issue 12, point 3) on the demo cluster, in web mode: a syntax error
 * is marked as typed and blocks the buttons; a three-object manifest with one unknown field
 * is refused at that field's line (marked in the editor and listed) and applies none of the
 * three, as kubectl reads back; fixed, its dry run shows each object and its diff; applied,
 * kubectl reads all three. Screenshots light and dark go to e2e/artifacts/workloads-yaml-*.png.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { clusterLink, openApp, uniqueName } from './support/app.ts';

const artifacts = join(import.meta.dirname, 'artifacts');

function kubeconfig(): string {
  const file = process.env.NODELESS_E2E_DEMO_KUBECONFIG;
  if (!file) throw new Error('NODELESS_E2E_DEMO_KUBECONFIG is not set: run through global-setup');
  return file;
}

function kubectl(...args: string[]): string {
  return execFileSync('kubectl', ['--kubeconfig', kubeconfig(), ...args], {
    encoding: 'utf8',
    timeout: 30_000,
  });
}

function exists(ns: string, kind: string, name: string): boolean {
  const r = spawnSync('kubectl', ['--kubeconfig', kubeconfig(), '-n', ns, 'get', kind, name], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return r.status === 0;
}

/** Light, then dark (the app follows the OS), then back to light. */
async function shoot(page: Page, name: string, target: Locator): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await target.screenshot({ path: join(artifacts, `workloads-yaml-${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

const manifest = (ns: string, replicasKey: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: shop-config
  namespace: ${ns}
data:
  greeting: hello
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop-web
  namespace: ${ns}
spec:
  ${replicasKey}: 2
  selector:
    matchLabels: {app: shop-web}
  template:
    metadata:
      labels: {app: shop-web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
---
apiVersion: v1
kind: Service
metadata:
  name: shop-web
  namespace: ${ns}
spec:
  selector: {app: shop-web}
  ports:
    - port: 80
`;

/** Replaces the editor's whole text, as typed (CodeMirror sees an input, not a paste). */
async function setText(page: Page, editor: Locator, text: string): Promise<void> {
  await editor.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

test('a manifest with one unknown field is refused at its line, fixed, dry-run, applied', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const ns = uniqueName('yaml');
  kubectl('create', 'namespace', ns);

  await openApp(page);
  await clusterLink(page, 'Demo').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Demo' })).toBeVisible();
  const clusterId = decodeURIComponent(/#\/clusters\/([^/]+)/.exec(page.url())?.[1] ?? '');
  await page.evaluate(
    (hash) => {
      window.location.hash = hash;
    },
    `#/clusters/${encodeURIComponent(clusterId)}/workloads`,
  );
  await page.getByRole('button', { name: 'Apply YAML' }).click();
  const dialog = page.getByRole('dialog', { name: 'Apply YAML' });
  const editor = dialog.getByTestId('yaml-editor');
  await expect(dialog.getByRole('textbox', { name: 'YAML manifest' })).toBeVisible();

  // A syntax error is marked before anything is sent, and blocks Dry run and Apply.
  await setText(page, editor, 'kind: ConfigMap\nmetadata: [name\n');
  const syntax = dialog.getByRole('list', { name: 'YAML syntax errors' });
  await expect(syntax).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Dry run' })).toBeDisabled();
  await expect(dialog.getByRole('button', { name: 'Apply', exact: true })).toBeDisabled();

  // Three objects, one unknown field: refused at its line, none of the three applied.
  const bad = manifest(ns, 'replicaz');
  const badLine = bad.split('\n').findIndex((l) => l.includes('replicaz')) + 1;
  await setText(page, editor, bad);
  await expect(syntax).toBeHidden();
  await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
  const refused = dialog.getByRole('list', { name: 'Refused fields' });
  await expect(refused).toContainText(`Line ${badLine}`);
  await expect(refused).toContainText('spec.replicaz');
  await expect(refused).toContainText('field not declared in schema');
  await expect(editor.locator('.cm-lintRange-error')).toHaveCount(1);
  await expect(editor.locator('.cm-lint-marker-error')).toHaveCount(1);
  await expect(
    editor
      .locator('.cm-line')
      .nth(badLine - 1)
      .locator('.cm-lintRange-error'),
  ).toHaveText('replicaz: 2');
  for (const [kind, name] of [
    ['configmap', 'shop-config'],
    ['deployment', 'shop-web'],
    ['service', 'shop-web'],
  ] as const)
    expect(exists(ns, kind, name), `${kind} ${name}`).toBe(false);
  await shoot(page, 'refused', dialog);

  // The link puts the cursor on that line.
  await refused.getByRole('button', { name: `Line ${badLine}` }).click();
  await expect(editor.locator('.cm-content')).toBeFocused();

  // Fixed: the dry run lists each object with its diff; nothing is applied yet.
  await setText(page, editor, manifest(ns, 'replicas'));
  await expect(refused).toBeHidden();
  await dialog.getByRole('button', { name: 'Dry run' }).click();
  const dry = dialog.getByRole('region', { name: 'Dry run' });
  await expect(dry.getByText('would be created')).toHaveCount(3);
  await expect(dry.getByLabel(`Diff of Deployment ${ns}/shop-web`)).toContainText(
    '+      replicas: 2'.trim(),
  );
  expect(exists(ns, 'deployment', 'shop-web')).toBe(false);
  await shoot(page, 'dry-run', dialog);

  // Applied: kubectl reads all three.
  await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
  const applied = dialog.getByRole('region', { name: 'Applied objects' });
  await expect(applied.getByText('created', { exact: true })).toHaveCount(3);
  for (const [kind, name] of [
    ['configmap', 'shop-config'],
    ['deployment', 'shop-web'],
    ['service', 'shop-web'],
  ] as const)
    expect(exists(ns, kind, name), `${kind} ${name}`).toBe(true);
  expect(
    kubectl('-n', ns, 'get', 'deployment', 'shop-web', '-o', 'jsonpath={.spec.replicas}'),
  ).toBe('2');
  await shoot(page, 'applied', dialog);

  // A changed image: the dry run says "changed" and shows the image line.
  await setText(page, editor, manifest(ns, 'replicas').replace('nginx:1.27', 'nginx:1.28'));
  await dialog.getByRole('button', { name: 'Dry run' }).click();
  await expect(dry.getByText('would be changed')).toHaveCount(1);
  const diff = dry.getByLabel(`Diff of Deployment ${ns}/shop-web`);
  await expect(diff).toContainText('-          image: nginx:1.27');
  await expect(diff).toContainText('+          image: nginx:1.28');
  await shoot(page, 'changed', dialog);

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});
