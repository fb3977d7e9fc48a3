/**
 * Operating a workload end to end (issue 12, point 4) on the demo cluster, in web mode: a
 * Deployment created with the machine's real kubectl, scaled to 3 in the UI (3 ready), an HPA
 * added (a wrong maximum named under its field first), the image changed with `kubectl set
 * image`, rolled back to revision 1 from the history (the old image is back, as kubectl reads
 * it), then deleted with confirmation, and its namespace deleted from the list's group header
 * (name typed). Screenshots of each screen, light and dark, go to
 * e2e/artifacts/workloads-operate-*.png.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { clusterLink, openApp, uniqueName } from './support/app.ts';

const artifacts = join(import.meta.dirname, 'artifacts');

function kubectl(...args: string[]): string {
  const file = process.env.NODELESS_E2E_DEMO_KUBECONFIG;
  if (!file) throw new Error('NODELESS_E2E_DEMO_KUBECONFIG is not set: run through global-setup');
  return execFileSync('kubectl', ['--kubeconfig', file, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    // stderr goes into the thrown error (a NotFound polled for is not noise in the log).
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Light, then dark (the app follows the OS), then back to light. The page grows tall for the
 * shot, so the whole operations panel fits in the details pane instead of being cut by its
 * scrolling.
 */
async function shoot(page: Page, name: string, target?: Locator): Promise<void> {
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: 1280, height: 1800 });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const path = join(artifacts, `workloads-operate-${name}-${scheme}.png`);
    if (target) await target.screenshot({ path });
    else await page.screenshot({ path });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  if (viewport) await page.setViewportSize(viewport);
}

async function openWorkload(page: Page, namespace: string, name: string): Promise<Locator> {
  await openApp(page);
  await clusterLink(page, 'Demo').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Demo' })).toBeVisible();
  const clusterId = decodeURIComponent(/#\/clusters\/([^/]+)/.exec(page.url())?.[1] ?? '');
  expect(clusterId).not.toBe('');
  await page.evaluate(
    (hash) => {
      window.location.hash = hash;
    },
    `#/clusters/${encodeURIComponent(clusterId)}/workloads/Deployment/${namespace}/${name}`,
  );
  const ops = page.getByRole('region', { name: `Operations of deployment ${name}` });
  await expect(ops).toBeVisible();
  return ops;
}

test('scale, autoscale, change the image, roll back to revision 1, delete', async ({ page }) => {
  test.setTimeout(180_000);
  const ns = uniqueName('ops');
  kubectl('create', 'namespace', ns);
  kubectl('-n', ns, 'create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=1');

  const ops = await openWorkload(page, ns, 'web');
  const replicas = ops.getByRole('textbox', { name: 'Replicas' });
  await expect(replicas).toHaveValue('1');

  // Scale to 3 with the + button, then see 3 ready and the rollout followed to done.
  await ops.getByRole('button', { name: 'One replica more' }).click();
  await ops.getByRole('button', { name: 'One replica more' }).click();
  await expect(replicas).toHaveValue('3');
  await ops.getByRole('button', { name: 'Scale', exact: true }).click();
  // The notice once done (the progress line while it runs reads `Scaling to 3: 1 of 3 …`).
  await expect(
    ops
      .getByRole('status')
      .filter({ hasText: 'Scaling to 3: deployment "web" successfully rolled out' }),
  ).toBeVisible({ timeout: 30_000 });
  await expect(ops.getByText('3 of 3 ready.')).toBeVisible();
  expect(
    kubectl('-n', ns, 'get', 'deployment', 'web', '-o', 'jsonpath={.status.readyReplicas}'),
  ).toBe('3');
  await shoot(page, 'scaled', ops);
  // One pods table in the details, with the three pods (it was once drawn several times over).
  const details = page.getByRole('complementary', { name: 'Details of Deployment web' });
  const pods = details.getByRole('region', { name: 'Pods of this workload' });
  await expect(pods).toHaveCount(1);
  await expect(pods.getByRole('heading', { name: 'Pods (3)' })).toBeVisible();

  // Add an HPA; a maximum under the minimum is named under its field, then fixed.
  await ops.getByRole('button', { name: 'Add autoscaler' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add autoscaler to web' });
  await dialog.getByRole('textbox', { name: 'Minimum replicas' }).fill('3');
  await dialog.getByRole('textbox', { name: 'Maximum replicas' }).fill('2');
  await dialog.getByRole('textbox', { name: 'Target CPU (% of request)' }).fill('70');
  await dialog.getByRole('button', { name: 'Add autoscaler' }).click();
  await expect(
    dialog.getByRole('textbox', { name: 'Maximum replicas' }),
  ).toHaveAccessibleDescription(/must be at least the minimum \(3\)/);
  await shoot(page, 'hpa-dialog-error', dialog);
  await dialog.getByRole('textbox', { name: 'Maximum replicas' }).fill('6');
  await dialog.getByRole('button', { name: 'Add autoscaler' }).click();
  await expect(dialog).toBeHidden();
  await expect(ops.getByText('Autoscaler web saved.')).toBeVisible();
  await expect(ops.getByText('3 to 6')).toBeVisible();
  const hpa = JSON.parse(kubectl('-n', ns, 'get', 'hpa', 'web', '-o', 'json')) as {
    spec: { minReplicas: number; maxReplicas: number; scaleTargetRef: { name: string } };
  };
  expect(hpa.spec).toMatchObject({
    minReplicas: 3,
    maxReplicas: 6,
    scaleTargetRef: { name: 'web' },
  });
  await expect(ops.getByRole('list', { name: 'Conditions' })).toBeVisible({ timeout: 30_000 });
  await shoot(page, 'hpa', ops);

  // Edit it: the dialog shows the HPA now (conditions in words) beside the form.
  await ops.getByRole('button', { name: 'Edit autoscaler' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit autoscaler web' });
  await expect(edit.getByRole('list', { name: 'Conditions' })).toBeVisible();
  await expect(edit.getByRole('textbox', { name: 'Minimum replicas' })).toHaveValue('3');
  await edit.getByRole('textbox', { name: 'Maximum replicas' }).fill('5');
  await edit.getByRole('textbox', { name: 'Scale-down stabilisation (seconds)' }).fill('60');
  await shoot(page, 'hpa-edit', edit);
  await edit.getByRole('button', { name: 'Save autoscaler' }).click();
  await expect(edit).toBeHidden();
  await expect(ops.getByText('3 to 5')).toBeVisible();
  expect(
    kubectl(
      '-n',
      ns,
      'get',
      'hpa',
      'web',
      '-o',
      'jsonpath={.spec.maxReplicas} {.spec.behavior.scaleDown.stabilizationWindowSeconds}',
    ),
  ).toBe('5 60');

  // The image changes outside the app; the history shows revision 2.
  kubectl('-n', ns, 'set', 'image', 'deployment/web', 'nginx=nginx:1.27');
  const revisions = ops.getByRole('table', { name: 'Revisions' });
  await expect(revisions.getByRole('row', { name: /^2\s*current\s*nginx:1\.27/ })).toBeVisible({
    timeout: 30_000,
  });
  await ops.getByRole('button', { name: 'Show differences' }).click();
  await expect(ops.getByRole('list', { name: 'Changes from revision 1 to 2' })).toContainText(
    'nginx:1.25 → nginx:1.27',
  );

  // Roll back to revision 1: the confirmation says what changes; the old image comes back.
  await revisions.getByRole('button', { name: 'Roll back to revision 1' }).click();
  const confirm = page.getByRole('dialog', { name: 'Roll web back to revision 1?' });
  await expect(confirm.getByRole('list', { name: 'What changes with revision 1' })).toContainText(
    'nginx:1.27 → nginx:1.25',
  );
  await shoot(page, 'rollback-confirm', confirm);
  await confirm.getByRole('button', { name: 'Roll back to revision 1' }).click();
  await expect(confirm).toBeHidden();
  await expect(
    ops.getByRole('status').filter({
      hasText: 'Roll back to revision 1: deployment "web" successfully rolled out',
    }),
  ).toBeVisible({ timeout: 30_000 });
  expect(
    kubectl(
      '-n',
      ns,
      'get',
      'deployment',
      'web',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].image}',
    ),
  ).toBe('nginx:1.25');
  await expect(revisions.getByRole('row', { name: /^3\s*current\s*nginx:1\.25/ })).toBeVisible();
  await shoot(page, 'rolled-back', ops);
  await expect(pods).toHaveCount(1);
  await expect(pods.getByRole('heading', { name: 'Pods (3)' })).toBeVisible({ timeout: 30_000 });
  await shoot(page, 'details');

  // Delete the autoscaler (confirmed); the replicas stay.
  await ops.getByRole('button', { name: 'Delete autoscaler' }).click();
  const delHpa = page.getByRole('dialog', { name: 'Delete autoscaler web?' });
  await delHpa.getByRole('button', { name: 'Delete autoscaler' }).click();
  await expect(ops.getByText(/^No autoscaler/)).toBeVisible();
  expect(kubectl('-n', ns, 'get', 'hpa', '-o', 'name')).toBe('');

  // Delete with confirmation: the details close and kubectl no longer finds it.
  await ops.getByRole('button', { name: 'Delete deployment' }).click();
  const del = page.getByRole('dialog', { name: 'Delete deployment web?' });
  await shoot(page, 'delete-confirm', del);
  await del.getByRole('button', { name: 'Delete web' }).click();
  await expect(ops).toBeHidden();
  await expect
    .poll(() => kubectl('-n', ns, 'get', 'deployments', '-o', 'name'), { timeout: 15_000 })
    .toBe('');

  // Delete the namespace from its group header in the list, its name typed to confirm.
  kubectl('-n', ns, 'create', 'deployment', 'cache', '--image=redis:7');
  const list = page.getByRole('table', { name: 'Workloads' });
  const group = list.getByRole('row').filter({ has: page.getByRole('button', { name: ns }) });
  await expect(group).toBeVisible({ timeout: 15_000 });
  const system = list
    .getByRole('row')
    .filter({ has: page.getByRole('button', { name: /^kube-system\b/ }) });
  if ((await system.count()) > 0)
    await expect(system.getByRole('button', { name: /^Delete namespace/ })).toHaveCount(0);
  await group.getByRole('button', { name: `Delete namespace ${ns}…` }).click();
  const delNs = page.getByRole('dialog', { name: `Delete namespace ${ns}?` });
  const typed = delNs.getByRole('textbox', { name: `Type ${ns} to confirm` });
  const confirmNs = delNs.getByRole('button', { name: `Delete namespace ${ns}` });
  await typed.fill(ns.slice(0, -1));
  await expect(confirmNs).toBeDisabled();
  await typed.fill(ns);
  await shoot(page, 'delete-namespace', delNs);
  await confirmNs.click();
  await expect(delNs).toBeHidden();
  await expect(
    page.getByRole('status').filter({ hasText: `Namespace ${ns} is being deleted` }),
  ).toBeVisible();
  await expect(group).toHaveCount(0, { timeout: 30_000 });
  await expect
    .poll(
      () => {
        try {
          return kubectl('get', 'namespace', ns, '-o', 'jsonpath={.status.phase}');
        } catch {
          return 'gone';
        }
      },
      { timeout: 30_000 },
    )
    .toMatch(/^(gone|Terminating)$/);
});
