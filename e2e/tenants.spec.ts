/**
 * Tenants end to end (issue 14, "Done when": create a tenant, export its kubeconfig, use it
 * with the real kubectl), in web mode: a real kube-apiserver from testkit with the serverless
 * policies of the baseline step, imported through the Import kubeconfig dialog; the tenant is
 * created (two namespaces), exported and revoked in the UI; a member's client certificate
 * kubeconfig is exported, listed, used and revoked alone; the tenant is removed with its name
 * typed. The machine's real `/usr/bin/kubectl` uses the exported files. Screenshots go to
 * e2e/artifacts/tenants-*.png (the changed screens light and dark).
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
const STAGING = 'team-e2e-staging';

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
  await adding.getByLabel('Namespace', { exact: true }).fill('kube-tenant');
  await adding.getByRole('button', { name: 'Create tenant' }).click();
  await expect(adding.getByLabel('Namespace', { exact: true })).toHaveAccessibleDescription(
    /is reserved/,
  );
  await page.screenshot({ path: join(artifacts, 'tenants-add-refused.png') });

  await adding.getByLabel('Namespace', { exact: true }).fill(NS);
  await adding.getByLabel('More namespaces').fill(STAGING);
  await adding.getByLabel('Quota').selectOption({ label: '4 vCPU / 8 GiB' });
  await adding.getByLabel('Pods').fill('10');
  await adding.getByRole('button', { name: 'Create tenant' }).click();
  await expect(adding).toBeHidden();
  const table = page.getByRole('table', { name: 'Tenants' });
  const row = table.getByRole('row', { name: new RegExp(NS) });
  await expect(row).toContainText(`also ${STAGING}`);
  await expect(row).toContainText('4 vCPU / 8 GiB each');
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
  await expect(result).toContainText(
    `One context per namespace of the tenant: ${name}-${NS}, ${name}-${STAGING}`,
  );
  await expect(result).toContainText('The token works until');
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
    // Cells: quota, pods, in use (sized pod plus the sandbox's overhead), kubeconfigs, actions.
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

  // A member's client certificate (the CSR API), reaching both namespaces.
  const certFile = join(dir, 'alice.kubeconfig');
  await page.getByRole('button', { name: `Export kubeconfig for ${NS}` }).click();
  const certExport = page.getByRole('dialog', { name: `Export kubeconfig for ${NS}` });
  await certExport.getByLabel('Member').fill('alice');
  await certExport.getByRole('radio', { name: 'Client certificate' }).check();
  await expect(certExport).toContainText('its key is made on this machine');
  await certExport.getByRole('radio', { name: '1 hour' }).check();
  await certExport.getByLabel('Save to').fill(certFile);
  await page.screenshot({ path: join(artifacts, 'tenants-export-certificate.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(artifacts, 'tenants-export-certificate-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  await certExport.getByRole('button', { name: 'Export' }).click();
  await expect(certExport.getByRole('status')).toContainText(
    'The client certificate of alice works until',
  );
  await certExport.getByRole('button', { name: 'Done' }).click();
  expect(statSync(certFile).mode & 0o777).toBe(0o600);
  const whoami = kubectl(certFile, 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}');
  expect(whoami.stdout).toBe(`nodeless:tenant:${NS}:alice`);
  const inStaging = kubectl(certFile, 'get', 'pods', '-n', STAGING);
  expect(inStaging.code, inStaging.stderr).toBe(0);
  expect(kubectl(certFile, 'get', 'pods', '-n', 'default').stderr).toContain('Forbidden');
  await page.getByRole('button', { name: 'Refresh' }).click();
  const members = page.getByRole('list', { name: `Kubeconfigs of ${NS}` });
  await expect(members).toContainText(/alice certificate until /);
  await page.screenshot({ path: join(artifacts, 'tenants-members.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(artifacts, 'tenants-members-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });

  // Revoking alice alone: her certificate still authenticates but may do nothing.
  await page.getByRole('button', { name: `Revoke alice of ${NS}` }).click();
  const revokingAlice = page.getByRole('dialog', { name: 'Revoke alice?' });
  await revokingAlice.getByRole('button', { name: 'Revoke' }).click();
  await expect(revokingAlice).toBeHidden();
  await expect
    .poll(() => kubectl(certFile, 'get', 'pods').stderr, { timeout: 30_000, intervals: [500] })
    .toContain(`User "nodeless:tenant:${NS}:alice" cannot list resource "pods"`);
  await expect(members).toHaveCount(0);

  // Remove: only once the tenant's name is typed; the staging namespace named for deletion.
  await page.getByRole('button', { name: `Remove ${NS}` }).click();
  const removing = page.getByRole('dialog', { name: `Remove tenant ${NS}?` });
  const removeButton = removing.getByRole('button', { name: 'Remove tenant' });
  await expect(removeButton).toBeDisabled();
  await removing.getByLabel("Type the tenant's name to confirm").fill(NS);
  await removing.getByLabel('Also delete namespaces').fill(STAGING);
  await page.screenshot({ path: join(artifacts, 'tenants-remove.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(artifacts, 'tenants-remove-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  await removeButton.click();
  await expect(removing).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: `Removed tenant ${NS}` })).toContainText(
    `Deleting ${STAGING}.`,
  );
  await expect(page.getByText('No tenants yet.')).toBeVisible();
  const admin = join(dir, 'admin.kubeconfig');
  const rbac = kubectl(admin, 'get', 'rolebindings,roles,resourcequotas', '-n', NS, '-o', 'name');
  expect(rbac.stdout.trim()).toBe('');
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
