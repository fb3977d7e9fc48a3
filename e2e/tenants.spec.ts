/**
 * Tenants end to end (issue 14, "Done when": create a tenant, export its kubeconfig, use it
 * with the real kubectl), in web mode: a real kube-apiserver from testkit with the serverless
 * policies of the baseline step, imported through the Import kubeconfig dialog; the tenant is
 * created, exported and revoked in the UI; the machine's real `/usr/bin/kubectl` uses the
 * exported file. Screenshots go to e2e/artifacts/tenants-*.png.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { baselineSteps } from '../cluster-runtime/src/baseline/steps.ts';
import { runSteps } from '../cluster-runtime/test/helpers.ts';
import { startControlPlane, type ControlPlane } from '../testkit/src/control-plane/index.ts';
import { clusterLink, openApp, uniqueName } from './support/app.ts';

const artifacts = join(import.meta.dirname, 'artifacts');
const KUBECTL = '/usr/bin/kubectl';
const NS = 'team-e2e';

let cp: ControlPlane;
let dir: string;

/** The real kubectl with `kubeconfig`; never throws (the refusals are what we check). */
function kubectl(kubeconfig: string, ...args: string[]) {
  const r = spawnSync(KUBECTL, ['--kubeconfig', kubeconfig, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test.beforeAll(async () => {
  // A control plane start and the policies' rollout take a while on a shared 2-core machine.
  test.setTimeout(600_000);
  cp = await startControlPlane({ nodes: 1, node: { cpus: 12, memoryGiB: 48 }, metrics: false });
  await runSteps(
    baselineSteps({
      kubeconfig: () => cp.kubeconfig,
      sandboxes: ['kata-clh'],
      sandbox: 'kata-clh',
      expectedNodes: 1,
    }),
  );
  dir = mkdtempSync(join(tmpdir(), 'nodeless-e2e-tenants-'));
  writeFileSync(join(dir, 'admin.kubeconfig'), cp.kubeconfig, { mode: 0o600 });
});
test.afterAll(async () => {
  await cp?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a tenant is created, exported, used with the real kubectl and revoked', async ({ page }) => {
  test.setTimeout(240_000);
  await openApp(page);

  // The real control plane, imported as a user imports a kubeconfig file.
  const name = uniqueName('lab');
  await page.getByRole('button', { name: 'Import kubeconfig' }).click();
  const importing = page.getByRole('dialog', { name: 'Import a kubeconfig' });
  await importing.getByLabel('Kubeconfig file').setInputFiles(join(dir, 'admin.kubeconfig'));
  await importing.getByRole('button', { name: 'Read contexts' }).click();
  await expect(importing.getByRole('group', { name: 'Context' })).toBeVisible();
  await importing.getByLabel('Cluster name').fill(name);
  await importing.getByRole('button', { name: 'Import cluster' }).click();
  await expect(importing).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(clusterLink(page, name)).toBeVisible();
  // A real cluster: no demo note on its Overview.
  await expect(page.getByText('Admission policies are not simulated')).toHaveCount(0);

  await page
    .getByRole('navigation', { name: 'Cluster sections' })
    .getByRole('link', { name: 'Tenants' })
    .click();
  expect(page.url()).toMatch(/#\/clusters\/[^/]+\/tenants$/);
  await expect(page.getByText('No tenants yet.')).toBeVisible();

  // Add tenant: a reserved name is refused next to the Namespace field.
  await page.getByRole('button', { name: 'Add tenant' }).click();
  const adding = page.getByRole('dialog', { name: 'Add tenant' });
  await adding.getByLabel('Namespace').fill('kube-tenant');
  await adding.getByRole('button', { name: 'Create tenant' }).click();
  await expect(adding.getByLabel('Namespace')).toHaveAccessibleDescription(/is reserved/);
  await page.screenshot({ path: join(artifacts, 'tenants-add-refused.png') });

  await adding.getByLabel('Namespace').fill(NS);
  await adding.getByLabel('Quota').selectOption({ label: '4 vCPU / 8 GiB' });
  await adding.getByLabel('Pods').fill('10');
  await adding.getByRole('button', { name: 'Create tenant' }).click();
  await expect(adding).toBeHidden();
  const table = page.getByRole('table', { name: 'Tenants' });
  const row = table.getByRole('row', { name: new RegExp(NS) });
  await expect(row).toContainText('4 vCPU / 8 GiB');
  await expect(row).toContainText('10');
  await expect(row).toContainText('0 vCPU / 0 MiB, 0 pods');
  const quota = kubectl(
    join(dir, 'admin.kubeconfig'),
    ...['get', 'resourcequota', 'nodeless-tenant', '-n', NS, '-o', 'jsonpath={.spec.hard.pods}'],
  );
  expect(quota.stdout).toBe('10');
  await page.screenshot({ path: join(artifacts, 'tenants-list.png') });

  // Export: 1 hour, to a file of our own; the result says where and until when.
  const file = join(dir, 'tenant.kubeconfig');
  await page.getByRole('button', { name: `Export kubeconfig for ${NS}` }).click();
  const exporting = page.getByRole('dialog', { name: `Export kubeconfig for ${NS}` });
  await exporting.getByRole('radio', { name: '1 hour' }).check();
  await exporting.getByLabel('Save to').fill(file);
  await exporting.getByRole('button', { name: 'Export' }).click();
  const result = exporting.getByRole('status');
  await expect(result).toContainText(`Written to ${file}`);
  await expect(result).toContainText(`context ${name}-${NS}`);
  await expect(result).toContainText('It works until');
  await page.screenshot({ path: join(artifacts, 'tenants-exported.png') });
  await exporting.getByRole('button', { name: 'Done' }).click();
  expect(statSync(file).mode & 0o777).toBe(0o600);

  // The real kubectl with the tenant's kubeconfig: its namespace yes, machines no.
  const created = kubectl(file, 'create', 'deployment', 'web', '--image=nginx');
  expect(created.code, created.stderr).toBe(0);
  expect(created.stdout).toContain('deployment.apps/web created');
  // Tenant namespaces warn (not enforce) Pod Security `restricted`: kubectl prints the warning.
  expect(created.stderr).toContain('would violate PodSecurity "restricted:latest"');
  const nodes = kubectl(file, 'get', 'nodes');
  expect(nodes.stderr).toContain('Error from server (Forbidden): nodes is forbidden');
  // The deployment's pod counts against the quota: Refresh shows it in use.
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    // Cells: quota, pods, in use (sized pod plus the sandbox's overhead), actions.
    await expect(row.getByRole('cell').nth(2)).toHaveText(/ vCPU \/ .*B, 1 pod$/, {
      timeout: 2000,
    });
  }).toPass({ timeout: 60_000 });

  // Revoke: the confirmation says what happens; the exported token then stops working.
  await page.getByRole('button', { name: `Revoke ${NS}` }).click();
  const revoking = page.getByRole('dialog', { name: `Revoke ${NS}?` });
  await expect(revoking).toContainText('stops working within seconds');
  await page.screenshot({ path: join(artifacts, 'tenants-revoke.png') });
  await revoking.getByRole('button', { name: 'Revoke kubeconfigs' }).click();
  await expect(revoking).toBeHidden();
  await expect(
    page.getByRole('status').filter({ hasText: `Revoked every kubeconfig of ${NS}` }),
  ).toBeVisible();
  // The API server caches successful token authentications for about 10 s.
  await expect
    .poll(() => kubectl(file, 'get', 'pods').stderr, { timeout: 30_000, intervals: [1000] })
    .toContain('error: You must be logged in to the server (Unauthorized)');
  await page.screenshot({ path: join(artifacts, 'tenants-revoked.png') });
});

test('the demo says admission policies are not simulated', async ({ page }) => {
  await openApp(page);
  await clusterLink(page, 'Demo').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Demo' })).toBeVisible();
  const note =
    'Admission policies are not simulated in the demo: pods are sized by the demo itself.';
  await expect(page.getByRole('note')).toHaveText(note);
  await page
    .getByRole('navigation', { name: 'Cluster sections' })
    .getByRole('link', { name: 'Tenants' })
    .click();
  await expect(page.getByRole('heading', { level: 2, name: 'Tenants' })).toBeVisible();
  await expect(page.getByRole('note')).toHaveText(note);
  await page.screenshot({ path: join(artifacts, 'tenants-demo.png') });
});
