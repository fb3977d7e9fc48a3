/**
 * The Workloads list and "pool full → add a machine" (issue 12 points 1, 5, 6) on the demo
 * cluster (kube-sim) in web mode: the demo's workloads grouped by namespace with their pod
 * sizes; the ml trainer (16 vCPU / 64 GiB, bigger than any demo machine) makes Overview and its
 * workload say the pool is full in one sentence; "Add a machine" explains how a machine joins
 * the demo (Nodeless cannot reach a simulated or imported cluster's machines); a simulated
 * machine created with the machine's real kubectl lets the trainer start and the sentence go
 * away by itself. Screenshots (light and dark) go to e2e/artifacts/workloads-list-*.png.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { clusterLink, openApp } from './support/app.ts';

const artifacts = join(import.meta.dirname, 'artifacts');
const NODE = 'sim-extra-e2e';
const POOL_FULL =
  /1 pod of 16 vCPU \/ 64 GiB is waiting: the pool has [\d.]+ vCPU and [\d.]+ GiB free/;

function kubectl(args: string[], input?: string): string {
  const file = process.env.NODELESS_E2E_DEMO_KUBECONFIG;
  if (!file) throw new Error('NODELESS_E2E_DEMO_KUBECONFIG is not set: run through global-setup');
  return execFileSync('kubectl', ['--kubeconfig', file, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    ...(input === undefined ? {} : { input }),
  });
}

/** A simulated machine big enough for the trainer: Ready, in the kata sandbox family. */
const bigMachine = JSON.stringify({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name: NODE,
    labels: { 'nodeless.dev/simulated': 'true', 'nodeless.dev/sandbox': 'kata' },
  },
  status: {
    capacity: { cpu: '32', memory: '128Gi', pods: '110' },
    allocatable: { cpu: '32', memory: '128Gi', pods: '110' },
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'e2e' }],
  },
});

async function section(page: Page, name: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Cluster sections' })
    .getByRole('link', { name, exact: true })
    .click();
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: join(artifacts, `workloads-list-${name}-light.png`) });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(artifacts, `workloads-list-${name}-dark.png`) });
  await page.emulateMedia({ colorScheme: 'light' });
}

function workloadRow(page: Page, name: string) {
  return page
    .getByRole('table', { name: 'Workloads' })
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name, exact: true }) });
}

test.afterAll(() => {
  // Leave the demo as the other specs know it: three machines.
  kubectl(['delete', 'node', NODE, '--ignore-not-found', '--wait=false']);
});

test('the demo workloads by namespace, pool full on the trainer, a machine joins', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page);
  await clusterLink(page, 'Demo').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Demo' })).toBeVisible();

  // Overview: the trainer waits for room, in one sentence, with the way out.
  const warnings = page.getByRole('list', { name: 'Warnings' });
  await expect(warnings.getByText(POOL_FULL)).toBeVisible({ timeout: 30_000 });
  await expect(warnings.getByRole('button', { name: 'Add a machine' })).toBeVisible();
  await shoot(page, 'overview');

  // The list, grouped by namespace, with sizes.
  await section(page, 'Workloads');
  expect(page.url()).toMatch(/#\/clusters\/[^/]+\/workloads$/);
  const table = page.getByRole('table', { name: 'Workloads' });
  for (const ns of ['data', 'ml', 'shop']) {
    await expect(
      table.getByRole('button', { name: new RegExp(`^${ns} \\d+ workloads?`) }),
    ).toBeVisible();
  }
  const inference = workloadRow(page, 'inference');
  await expect(inference.getByRole('cell', { name: '2 vCPU / 8 GiB' })).toBeVisible();
  await expect(inference.getByRole('cell', { name: 'Deployment' })).toBeVisible();
  await expect(inference.getByRole('cell', { name: 'kata-clh' })).toBeVisible();
  const trainer = workloadRow(page, 'trainer');
  await expect(trainer.getByRole('cell', { name: '16 vCPU / 64 GiB' })).toBeVisible();
  await expect(trainer.getByRole('cell', { name: '0/1' })).toBeVisible();
  await expect(trainer.getByRole('cell', { name: /^Pool full: 1 waiting/ })).toBeVisible();
  await shoot(page, 'list');

  // Folding a namespace hides its workloads; unfolding brings them back.
  const ml = table.getByRole('button', { name: /^ml \d+ workloads?/ });
  await ml.click();
  await expect(ml).toHaveAttribute('aria-expanded', 'false');
  await expect(workloadRow(page, 'trainer')).toHaveCount(0);
  await ml.click();
  await expect(workloadRow(page, 'trainer')).toHaveCount(1);

  // The trainer's details say the same sentence; its pod shows size and sandbox.
  await trainer.getByRole('link', { name: 'trainer' }).click();
  expect(page.url()).toMatch(/\/workloads\/Deployment\/ml\/trainer$/);
  const details = page.getByRole('complementary', { name: 'Details of Deployment trainer' });
  await expect(details.getByText(POOL_FULL)).toBeVisible();
  const pods = details.getByRole('region', { name: 'Pods of this workload' });
  const pod = pods.getByRole('row').filter({ has: page.getByRole('link', { name: /^trainer-/ }) });
  await expect(pod.getByRole('cell', { name: '16 vCPU / 64 GiB' })).toBeVisible();
  await expect(pod.getByRole('cell', { name: 'kata-clh' })).toBeVisible();
  await shoot(page, 'details');

  // "Add a machine" on the demo explains how a simulated machine joins.
  await details.getByRole('button', { name: 'Add a machine' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a machine to Demo' });
  await expect(dialog.getByText('The demo cluster is simulated')).toBeVisible();
  await expect(dialog.getByLabel('Simulated machine manifest')).toContainText('kind: Node');
  await shoot(page, 'add-machine');
  await dialog.getByRole('button', { name: 'Got it' }).click();
  await expect(dialog).toBeHidden();

  // A machine joins (kubectl, as the dialog says): the trainer starts, the sentence goes.
  kubectl(['create', '-f', '-'], bigMachine);
  await expect(details.getByText(POOL_FULL)).toHaveCount(0, { timeout: 60_000 });
  await expect(details.getByText('Available', { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(workloadRow(page, 'trainer').getByRole('cell', { name: '1/1' })).toBeVisible();
  await shoot(page, 'joined');
  await section(page, 'Overview');
  await expect(page.getByRole('list', { name: 'Warnings' }).getByText(POOL_FULL)).toHaveCount(0);
});
