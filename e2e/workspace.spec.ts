/**
 * The cluster workspace end to end (issue 11, "Done when"), in web mode: the backend started as
 * `npm start` starts it, with the demo cluster (kube-sim in its own process, global-setup.ts),
 * Debian's Chromium, the machine's real `kubectl` against the demo's kubeconfig. Screenshots go
 * to e2e/artifacts/workspace-*.png.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { clusterLink, openApp, uniqueName } from './support/app.ts';

const artifacts = join(import.meta.dirname, 'artifacts');
const DEMO_LABEL = 'Demo · simulated';

function demoKubeconfig(): string {
  const file = process.env.NODELESS_E2E_DEMO_KUBECONFIG;
  if (!file) throw new Error('NODELESS_E2E_DEMO_KUBECONFIG is not set: run through global-setup');
  return file;
}

/** The machine's kubectl (Debian's kubernetes-client) against the demo cluster. */
function kubectl(...args: string[]): string {
  return execFileSync('kubectl', ['--kubeconfig', demoKubeconfig(), ...args], {
    encoding: 'utf8',
    timeout: 30_000,
  });
}

async function openDemo(page: Page): Promise<void> {
  await openApp(page);
  const link = clusterLink(page, 'Demo');
  await expect(link).toBeVisible();
  await link.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Demo' })).toBeVisible();
}

async function openPods(page: Page) {
  await page
    .getByRole('navigation', { name: 'Cluster sections' })
    .getByRole('link', { name: 'Pods' })
    .click();
  const grid = page.getByRole('grid', { name: 'Pods' });
  await expect(grid).toBeVisible();
  return grid;
}

/** Data rows (the header row has aria-rowindex 1). */
function dataRows(page: Page) {
  return page.getByRole('grid', { name: 'Pods' }).locator('[role="row"]:not([aria-rowindex="1"])');
}

function podRow(page: Page, name: string) {
  return dataRows(page).filter({ has: page.getByRole('gridcell', { name, exact: true }) });
}

test('the demo cluster is there on first start, labelled simulated', async ({ page }) => {
  await openDemo(page);
  await expect(page.getByText(DEMO_LABEL).first()).toBeVisible();
  await expect(
    page
      .getByRole('navigation', { name: 'Cluster sections' })
      .getByRole('link', { name: 'Overview' }),
  ).toHaveAttribute('aria-current', 'page');
});

test('Overview shows the capacity pool and the warnings', async ({ page }) => {
  await openDemo(page);
  const pool = page.getByRole('article', { name: 'Capacity pool' });
  await expect(pool).toBeVisible();
  // Three simulated 8 vCPU / 32 GiB machines; the demo's pods take part of them.
  const cpu = pool.getByRole('meter', { name: 'vCPU taken' });
  await expect(cpu).toHaveAttribute('aria-valuemax', '24000');
  await expect.poll(async () => Number(await cpu.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
  await expect(pool.getByRole('meter', { name: 'Memory taken' })).toHaveAttribute(
    'aria-valuemax',
    String(96 * 2 ** 30),
  );
  // The trainer fits no machine: its Pending pod is said as the pool being full.
  await expect(page.getByRole('list', { name: 'Warnings' })).toContainText(
    /1 pod of 16 vCPU \/ 64 GiB is waiting/,
  );
  await page.screenshot({ path: join(artifacts, 'workspace-overview.png'), fullPage: true });
});

test('the Pods table filters, sorts and opens details', async ({ page }) => {
  await openDemo(page);
  await openPods(page);
  await expect(podRow(page, 'redis-0')).toBeVisible();
  await expect.poll(() => dataRows(page).count()).toBeGreaterThanOrEqual(12);

  // Namespace and text filters: only the shop's storefront pods (other specs deploy their own
  // `web` apps into namespaces of their own on the same demo).
  const namespace = page.getByRole('search', { name: 'Filter pods' }).getByLabel('Namespace');
  await namespace.selectOption('shop');
  const search = page.getByLabel('Search pods');
  await search.fill('web-');
  await expect(dataRows(page)).toHaveCount(3);
  for (const row of await dataRows(page).all()) await expect(row).toContainText('web-');
  await search.fill('');
  await namespace.selectOption('');
  await expect.poll(() => dataRows(page).count()).toBeGreaterThanOrEqual(12);

  // Sort by restarts, most first: the crash-looping worker leads.
  const restarts = page.getByRole('columnheader', { name: /Restarts/ });
  await restarts.getByRole('button').click();
  if ((await restarts.getAttribute('aria-sort')) !== 'descending') {
    await restarts.getByRole('button').click();
  }
  await expect(restarts).toHaveAttribute('aria-sort', 'descending');
  await expect(dataRows(page).first()).toContainText('ingest-worker');
  await expect(dataRows(page).first()).toContainText('CrashLoopBackOff');
  await page.screenshot({ path: join(artifacts, 'workspace-pods-sorted.png') });

  // Details: spec, status, conditions and the pod's own events.
  await podRow(page, 'redis-0').click();
  const details = page.getByRole('region', { name: 'Pod redis-0' });
  await expect(details).toBeVisible();
  await expect(details.getByRole('heading', { name: 'redis-0' })).toBeVisible();
  await expect(details.getByRole('list', { name: 'Events' })).toContainText('Scheduled');
  await expect(details.getByRole('table', { name: 'Conditions' })).toContainText('Ready');
  expect(page.url()).toContain('/pods/shop/redis-0');
  await details.getByRole('list', { name: 'Events' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(artifacts, 'workspace-pod-details.png') });
});

test('a pod created with kubectl appears without reload; deleted, it disappears', async ({
  page,
}) => {
  await openDemo(page);
  await openPods(page);
  await expect(podRow(page, 'redis-0')).toBeVisible();
  const name = uniqueName('probe');
  let navigations = 0;
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame()) navigations++;
  });
  kubectl('-n', 'shop', 'run', name, '--image=nginx:1.27', '--restart=Never');
  await expect(podRow(page, name)).toBeVisible();
  await expect(podRow(page, name)).toContainText('Running');
  await page.screenshot({ path: join(artifacts, 'workspace-kubectl-created.png') });
  kubectl('-n', 'shop', 'delete', 'pod', name, '--wait=false');
  await expect(podRow(page, name)).toHaveCount(0, { timeout: 45_000 });
  // Hash route changes are not navigations of the document: nothing reloaded.
  expect(navigations).toBe(0);
});

test('importing a kubeconfig file works; a broken one shows its error', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'nodeless-e2e-kubeconfig-'));
  try {
    const good = join(dir, 'kubeconfig.yaml');
    writeFileSync(good, readFileSync(demoKubeconfig()), { mode: 0o600 });
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'apiVersion: v1\nkind: Config\nclusters: [ {name: x\n', { mode: 0o600 });
    await openApp(page);

    // Broken: the error is shown by the file field, nothing is imported.
    await page.getByRole('button', { name: 'Import kubeconfig' }).click();
    let dialog = page.getByRole('dialog', { name: 'Import a kubeconfig' });
    await dialog.getByLabel('Kubeconfig file').setInputFiles(broken);
    await dialog.getByRole('button', { name: 'Read contexts' }).click();
    await expect(dialog.getByRole('alert').first()).toBeVisible();
    // The file's own problem, not "empty" (the file is read in the page before it is sent).
    await expect(dialog.getByRole('alert').first()).toContainText(/YAML|kubeconfig/);
    await page.screenshot({ path: join(artifacts, 'workspace-import-broken.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();

    // Good: contexts read, one picked, named, imported; its Overview opens.
    const name = uniqueName('imported');
    await page.getByRole('button', { name: 'Import kubeconfig' }).click();
    dialog = page.getByRole('dialog', { name: 'Import a kubeconfig' });
    await dialog.getByLabel('Kubeconfig file').setInputFiles(good);
    await dialog.getByRole('button', { name: 'Read contexts' }).click();
    await expect(dialog.getByRole('group', { name: 'Context' })).toContainText('kube-sim');
    await dialog.getByLabel('Cluster name').fill(name);
    await dialog.getByRole('button', { name: 'Import cluster' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await expect(clusterLink(page, name)).toBeVisible();
    await expect(page.getByRole('article', { name: 'Capacity pool' })).toBeVisible();
    await page.screenshot({ path: join(artifacts, 'workspace-imported.png') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
