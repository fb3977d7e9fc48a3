/**
 * Deploy from a form end to end (issue 12, point 2) on the demo cluster, in web mode: the
 * Workloads section's Deploy opens the form; a new namespace, an image, a size picked vCPU then
 * memory, two replicas, a port exposed in the cluster and an HTTP readiness probe are filled in
 * while the YAML preview follows; a bad port number and a bad variable name show their errors
 * under their fields (and nothing is sent); Deploy opens the Deployment and its two pods come
 * up (the workload's row says 2/2, the machine's real kubectl reads back the size). Then
 * `kubectl scale` takes the replicas: deploying the form again names the field and its manager,
 * and "Apply anyway" takes it back. Deployed once more with Expose = No, the preview says the
 * Service will be deleted, Deploy deletes it and says so, and kubectl no longer finds it.
 * Screenshots of each screen, light and dark, go to e2e/artifacts/workloads-deploy-*.png.
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
  });
}

/** Light, then dark (the app follows the OS), then back to light. */
async function shoot(page: Page, name: string, target?: Locator): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const path = join(artifacts, `workloads-deploy-${name}-${scheme}.png`);
    if (target) await target.screenshot({ path });
    else await page.screenshot({ path });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function openWorkloads(page: Page): Promise<void> {
  await openApp(page);
  await clusterLink(page, 'Demo').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Demo' })).toBeVisible();
  await page
    .getByRole('navigation', { name: 'Cluster sections' })
    .getByRole('link', { name: 'Workloads' })
    .click();
  await expect(page.getByRole('table', { name: 'Workloads' })).toBeVisible();
}

async function openDeploy(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Deploy', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Deploy an app' });
  await expect(dialog).toBeVisible();
  // The namespaces are listed (the picker has more than "New namespace…").
  await expect(dialog.getByLabel('Namespace').locator('option')).not.toHaveCount(1);
  return dialog;
}

/** The deploy form again for `web` in `ns`: the same image, size and replicas, nothing else. */
async function fillAgain(page: Page, ns: string): Promise<Locator> {
  const dialog = await openDeploy(page);
  await dialog.getByLabel('Name', { exact: true }).fill('web');
  await dialog.getByLabel('Namespace').selectOption(ns);
  await dialog.getByLabel('Image').fill('nginx:1.27');
  await dialog.getByLabel('vCPU').selectOption({ label: '0.5 vCPU' });
  await dialog.getByLabel('Memory').selectOption({ label: '1 GiB' });
  await dialog.getByLabel('Replicas').fill('2');
  return dialog;
}

test('deploy from the form, see the pods come up, take a field back from kubectl, drop the Service', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1400, height: 900 });
  const ns = uniqueName('shop');
  await openWorkloads(page);
  const dialog = await openDeploy(page);
  const preview = dialog.getByLabel('YAML preview');
  await shoot(page, 'empty');

  await dialog.getByLabel('Name', { exact: true }).fill('web');
  await dialog.getByLabel('Namespace').selectOption({ label: 'New namespace…' });
  await dialog.getByLabel('New namespace').fill(ns);
  await dialog.getByLabel('Image').fill('nginx:1.27');
  await dialog.getByLabel('vCPU').selectOption({ label: '0.5 vCPU' });
  await dialog.getByLabel('Memory').selectOption({ label: '1 GiB' });
  await expect(dialog.getByText(/once metering has prices/)).toBeVisible();
  await dialog.getByLabel('Replicas').fill('2');
  await dialog.getByRole('button', { name: 'Add port' }).click();
  await dialog.getByLabel('Port 1 name').fill('http');
  await dialog.getByLabel('Port 1 number').fill('70000');
  await dialog.getByRole('button', { name: 'Add variable' }).click();
  await dialog.getByLabel('Variable 1 name').fill('1MODE');
  await dialog.getByLabel('Variable 1 value').fill('prod');
  await dialog.getByRole('radio', { name: 'In the cluster (ClusterIP)' }).check();
  await dialog.getByRole('radio', { name: 'HTTP GET' }).check();
  await dialog.getByLabel('Probe path').fill('/');
  await dialog.getByLabel('Probe port').fill('http');
  // The preview follows the form: exactly the objects Deploy applies.
  await expect(preview).toContainText('kind: Namespace');
  await expect(preview).toContainText(`name: ${ns}`);
  await expect(preview).toContainText('replicas: 2');
  await expect(preview).toContainText('cpu: 500m');
  await expect(preview).toContainText('memory: 1Gi');
  await expect(preview).toContainText('nodeless.dev/size: 0.5x1');
  await expect(preview).toContainText('type: ClusterIP');

  // Bad fields: the errors sit under their fields, and nothing reaches the cluster.
  await dialog.getByRole('button', { name: 'Deploy', exact: true }).click();
  const port = dialog.getByLabel('Port 1 number');
  await expect(port).toHaveAttribute('aria-invalid', 'true');
  await expect(port).toHaveAccessibleDescription('Port 1 number must be between 1 and 65535');
  await expect(dialog.getByLabel('Variable 1 name')).toHaveAccessibleDescription(
    /Variable 1 name must be letters, digits and _/,
  );
  await shoot(page, 'errors');
  expect(kubectl('get', 'namespaces', '-o', 'name')).not.toContain(`namespace/${ns}`);

  await port.fill('8080');
  await dialog.getByLabel('Variable 1 name').fill('MODE');
  await expect(port).not.toHaveAttribute('aria-invalid', 'true');
  await expect(preview).toContainText('containerPort: 8080');
  await shoot(page, 'filled');
  await dialog.getByRole('button', { name: 'Deploy', exact: true }).click();
  await expect(dialog).toBeHidden();

  // The Deployment opens; its two pods come up.
  const details = page.getByRole('complementary', { name: /Details of/ });
  await expect(details).toContainText(`Deployment · ${ns}`);
  await expect(details).toContainText(/Ready\s*2\/2/, { timeout: 60_000 });
  await expect
    .poll(() =>
      kubectl(
        '-n',
        ns,
        'get',
        'pods',
        '-l',
        'app.kubernetes.io/name=web',
        '-o',
        'jsonpath={.items[*].status.phase}',
      ),
    )
    .toBe('Running Running');
  await shoot(page, 'deployed');
  const limits = kubectl(
    '-n',
    ns,
    'get',
    'deployment',
    'web',
    '-o',
    'jsonpath={.spec.template.spec.containers[0].resources.limits}',
  );
  expect(JSON.parse(limits)).toEqual({ cpu: '500m', memory: '1Gi' });
  expect(kubectl('-n', ns, 'get', 'service', 'web', '-o', 'jsonpath={.spec.type}')).toBe(
    'ClusterIP',
  );

  // kubectl scales the app, as users do: kubectl becomes the manager of the replicas (through
  // the scale subresource), and the same form again is a conflict naming field and manager.
  kubectl('-n', ns, 'scale', 'deployment', 'web', '--replicas=3');
  const again = await fillAgain(page, ns);
  await again.getByRole('button', { name: 'Add port' }).click();
  await again.getByLabel('Port 1 name').fill('http');
  await again.getByLabel('Port 1 number').fill('8080');
  await again.getByRole('radio', { name: 'In the cluster (ClusterIP)' }).check();
  await again.getByRole('button', { name: 'Deploy', exact: true }).click();
  const conflict = again.getByRole('alert').filter({ hasText: 'Other tools manage fields' });
  await expect(conflict).toContainText('.spec.replicas');
  await expect(conflict).toContainText('managed by kubectl through scale');
  await expect(again.getByLabel('Replicas')).toHaveAccessibleDescription(
    /Replicas is also set by kubectl through scale/,
  );
  await shoot(page, 'conflict');
  await again.getByRole('button', { name: 'Apply anyway' }).click();
  await expect(again).toBeHidden();
  await expect
    .poll(() => kubectl('-n', ns, 'get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}'))
    .toBe('2');

  // Deployed again with Expose = No: the preview says the Service goes, Deploy deletes it and
  // says so; kubectl no longer finds it.
  const unexposed = await fillAgain(page, ns);
  await unexposed.getByRole('radio', { name: 'No', exact: true }).check();
  const deletions = unexposed.getByRole('list', { name: 'Deleted by Deploy' });
  await expect(deletions).toContainText('Service web will be deleted');
  await expect(unexposed.getByLabel('YAML preview')).not.toContainText('kind: Service');
  await shoot(page, 'delete-preview');
  await unexposed.getByRole('button', { name: 'Deploy', exact: true }).click();
  await expect(unexposed.getByRole('status')).toContainText('Service web was deleted');
  await shoot(page, 'deleted');
  await unexposed.getByRole('button', { name: 'Open web' }).click();
  await expect(unexposed).toBeHidden();
  await expect(details).toContainText(`Deployment · ${ns}`);
  expect(kubectl('-n', ns, 'get', 'services', '-o', 'name')).not.toContain('service/web');
  expect(kubectl('-n', ns, 'get', 'deployment', 'web', '-o', 'name')).toBe('deployment.apps/web\n');
});
