/**
 * Cluster inventory end to end, in web mode: real backend, real store, Debian's Chromium.
 * Scenarios follow issue 2, point 8.
 */
import { join } from 'node:path';
import { expect, request, test } from '@playwright/test';
import {
  addHost,
  appOrigin,
  appUrl,
  clusterLink,
  createCluster,
  hostRow,
  openApp,
  uniqueName,
} from './support/app.ts';

const artifacts = join(import.meta.dirname, 'artifacts');

test('page loads with the token', async ({ page, context }) => {
  // Any script error or CSP violation shows up as a console error or a page error.
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(appUrl());
  await expect(page.getByText('Nodeless', { exact: true })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Clusters' })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Backend connection: Live' })).toBeVisible();
  // The token is exchanged for a cookie scripts cannot read, and leaves the address bar.
  expect(page.url()).not.toContain('token=');
  const cookies = await context.cookies();
  expect(cookies.length).toBeGreaterThan(0);
  for (const c of cookies) expect(c.httpOnly).toBe(true);
  expect(problems).toEqual([]);
});

test('API refuses requests without the token (401)', async () => {
  const anonymous = await request.newContext({ baseURL: appOrigin() });
  try {
    const list = await anonymous.get('/api/trpc/inventory.list');
    expect(list.status()).toBe(401);
    const create = await anonymous.post('/api/trpc/clusters.create', {
      data: { name: 'intruder' },
    });
    expect(create.status()).toBe(401);
    const wrong = await anonymous.get('/api/trpc/inventory.list', {
      headers: { authorization: 'Bearer not-the-token' },
    });
    expect(wrong.status()).toBe(401);
  } finally {
    await anonymous.dispose();
  }
});

test('create a cluster', async ({ page }) => {
  const name = uniqueName('lab');
  await openApp(page);
  await createCluster(page, name);
  await expect(clusterLink(page, name)).toHaveAttribute('aria-current', 'page');
  await expect(page.getByText('No hosts yet')).toBeVisible();
});

test('a duplicate cluster name is refused next to the name field', async ({ page }) => {
  const name = uniqueName('dup');
  await openApp(page);
  await createCluster(page, name);
  await page.getByRole('button', { name: 'New cluster' }).click();
  const field = page.getByLabel('Cluster name');
  await field.fill(name);
  await field.press('Enter');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAccessibleDescription(/\S/);
  await field.press('Escape');
  await expect(field).toBeHidden();
});

test('add two hosts', async ({ page }) => {
  const name = uniqueName('prod');
  const secret = `pw-${Date.now()}-do-not-show`;
  await openApp(page);
  await createCluster(page, name);
  await addHost(page, { address: '10.20.0.11', auth: { kind: 'agent' } });
  await addHost(page, {
    address: 'worker-2.lan',
    port: '2222',
    user: 'ops',
    role: 'Agent (runs pods)',
    auth: { kind: 'password', password: secret },
  });

  const first = hostRow(page, '10.20.0.11');
  await expect(first).toContainText('server');
  await expect(first).toContainText('SSH agent');
  const second = hostRow(page, 'worker-2.lan');
  await expect(second).toContainText('worker-2.lan:2222');
  await expect(second).toContainText('agent');
  await expect(second).toContainText('Password (stored)');
  await expect(page.getByText('1 server · 1 agent')).toBeVisible();
  await expect(clusterLink(page, name)).toContainText('2 hosts');

  // The secret is write-only: not in the page, and not prefilled when editing.
  await expect(page.locator('body')).not.toContainText(secret);
  await page.getByRole('button', { name: 'Edit host worker-2.lan' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit host worker-2.lan' });
  const password = dialog.getByLabel('SSH password');
  await expect(password).toHaveValue('');
  await expect(password).toHaveAttribute('type', 'password');
  await expect(password).toHaveAccessibleDescription(/leave empty to keep/);
  // A stored secret is only used where it was entered: another address asks for it again.
  await dialog.getByLabel('Address').fill('worker-3.lan');
  await expect(password).toHaveAccessibleDescription(/Enter it again/);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await page.screenshot({ path: join(artifacts, 'main-screen.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(artifacts, 'main-screen-dark.png') });
});

test('a validation error is shown next to its field', async ({ page }) => {
  await openApp(page);
  await createCluster(page, uniqueName('val'));
  await page.getByRole('button', { name: 'Add host' }).click();
  const dialog = page.getByRole('dialog', { name: /Add a host to/ });
  const address = dialog.getByLabel('Address');
  const port = dialog.getByLabel('Port');
  await address.fill('not a host!');
  await port.fill('70000');
  await dialog.getByRole('radio', { name: 'SSH agent' }).check();
  await dialog.getByRole('button', { name: 'Add host' }).click();

  // Each message belongs to its own field (aria-describedby), not to a generic banner.
  await expect(port).toHaveAttribute('aria-invalid', 'true');
  await expect(port).toHaveAccessibleDescription(/Port must be between 1 and 65535/);
  await expect(address).toHaveAttribute('aria-invalid', 'true');
  await expect(address).toHaveAccessibleDescription(/hostname, IPv4 or IPv6/);
  await expect(dialog.getByLabel('User')).not.toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: join(artifacts, 'validation-errors.png') });

  // Fixing the fields clears the errors and the host is added.
  await address.fill('fd00::12');
  await port.fill('22');
  await port.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(hostRow(page, 'fd00::12')).toBeVisible();
});

test('reload keeps the data', async ({ page }) => {
  const name = uniqueName('keep');
  await openApp(page);
  await createCluster(page, name);
  await addHost(page, { address: '192.168.50.7', auth: { kind: 'agent' } });
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(hostRow(page, '192.168.50.7')).toBeVisible();
  // A fresh visit (no selection in the URL) lists it too.
  await openApp(page);
  await expect(clusterLink(page, name)).toContainText('1 host');
});

test('a second window sees changes made in the first without reload', async ({ page, browser }) => {
  const name = uniqueName('sync');
  await openApp(page);
  await createCluster(page, name);

  const second = await browser.newContext();
  try {
    const other = await second.newPage();
    await openApp(other);
    await expect(clusterLink(other, name)).toBeVisible();
    await clusterLink(other, name).click();
    await expect(other.getByRole('heading', { level: 1, name })).toBeVisible();

    // First window adds a host: the second window's table shows it without reloading.
    await addHost(page, { address: '10.9.9.9', auth: { kind: 'agent' } });
    await expect(hostRow(other, '10.9.9.9')).toBeVisible();

    // Second window renames: the first window's heading follows.
    const renamed = `${name}-b`;
    await clusterLink(other, name).hover();
    await other.getByRole('button', { name: `Rename cluster ${name}` }).click();
    const box = other.getByLabel(`New name for ${name}`);
    await box.fill(renamed);
    await box.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: renamed })).toBeVisible();

    // First window deletes it: the second window says so instead of showing stale data.
    await page.getByRole('button', { name: `Delete cluster ${renamed}` }).click();
    await page.getByRole('button', { name: 'Delete cluster and 1 host' }).click();
    await expect(
      other.getByRole('heading', { name: 'This cluster no longer exists' }),
    ).toBeVisible();
    await expect(clusterLink(other, renamed)).toHaveCount(0);
  } finally {
    await second.close();
  }
});

test('deleting a cluster with hosts asks for confirmation', async ({ page }) => {
  const name = uniqueName('gone');
  await openApp(page);
  await createCluster(page, name);
  await addHost(page, { address: '10.1.0.1', auth: { kind: 'agent' } });
  await addHost(page, { address: '10.1.0.2', auth: { kind: 'agent' } });

  await page.getByRole('button', { name: `Delete cluster ${name}` }).click();
  let dialog = page.getByRole('dialog', { name: `Delete cluster ${name}?` });
  await expect(dialog).toContainText('has 2 hosts');
  await page.screenshot({ path: join(artifacts, 'confirm-delete.png') });
  // Esc backs out and nothing is deleted.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(clusterLink(page, name)).toBeVisible();
  // Focus returns to the button that opened the dialog, so keyboard users stay in place.
  await expect(page.getByRole('button', { name: `Delete cluster ${name}` })).toBeFocused();

  await page.getByRole('button', { name: `Delete cluster ${name}` }).click();
  dialog = page.getByRole('dialog', { name: `Delete cluster ${name}?` });
  await dialog.getByRole('button', { name: 'Delete cluster and 2 hosts' }).click();
  await expect(dialog).toBeHidden();
  await expect(clusterLink(page, name)).toHaveCount(0);
});

test('an empty cluster is deleted without a question', async ({ page }) => {
  const name = uniqueName('empty');
  await openApp(page);
  await createCluster(page, name);
  await page.getByRole('button', { name: `Delete cluster ${name}` }).click();
  await expect(clusterLink(page, name)).toHaveCount(0);
  await expect(page.getByRole('dialog')).toHaveCount(0);
});
