/**
 * Helpers that drive the UI the way a user does: by visible labels and roles only.
 */
import { expect, type Page } from '@playwright/test';

/** The ready URL (with token) of the backend that global-setup started. */
export function appUrl(): string {
  const url = process.env.NODELESS_E2E_URL;
  if (!url) throw new Error('NODELESS_E2E_URL is not set: run through e2e/playwright.config.ts');
  return url;
}

export function appOrigin(): string {
  return new URL(appUrl()).origin;
}

/** A cluster name unique to this run, valid for the API (lowercase, digits, "-"). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

export async function openApp(page: Page): Promise<void> {
  await page.goto(appUrl());
  await expect(page.getByRole('status', { name: /Backend connection: Live/ })).toBeVisible();
}

export async function createCluster(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'New cluster' }).click();
  await page.getByLabel('Cluster name').fill(name);
  await page.getByLabel('Cluster name').press('Enter');
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

export function clusterLink(page: Page, name: string) {
  return page
    .getByRole('navigation', { name: 'Clusters' })
    .getByRole('link', { name: new RegExp(`^${name}\\b`) });
}

export interface HostSpec {
  address: string;
  port?: string;
  user?: string;
  role?: 'Server (control plane)' | 'Agent (runs pods)';
  auth:
    { kind: 'agent' } | { kind: 'password'; password: string } | { kind: 'key'; keyPath: string };
  sudo?: 'Not needed (root)' | 'Passwordless';
}

/** Opens "Add host", fills the form and submits with Enter; waits for the row. */
export async function addHost(page: Page, host: HostSpec): Promise<void> {
  await page.getByRole('button', { name: 'Add host' }).click();
  const dialog = page.getByRole('dialog', { name: /Add a host to/ });
  await dialog.getByLabel('Address').fill(host.address);
  if (host.port) await dialog.getByLabel('Port').fill(host.port);
  if (host.user) await dialog.getByLabel('User').fill(host.user);
  if (host.role) await dialog.getByRole('radio', { name: host.role }).check();
  const signIn = dialog.getByRole('group', { name: 'Sign in with' });
  if (host.auth.kind === 'agent') {
    await signIn.getByRole('radio', { name: 'SSH agent' }).check();
  } else if (host.auth.kind === 'key') {
    await signIn.getByRole('radio', { name: 'Key file' }).check();
    await dialog.getByRole('textbox', { name: 'Key file' }).fill(host.auth.keyPath);
  } else {
    await signIn.getByRole('radio', { name: 'Password' }).check();
    await dialog.getByLabel('SSH password').fill(host.auth.password);
  }
  if (host.sudo) {
    await dialog
      .getByRole('group', { name: 'Sudo' })
      .getByRole('radio', { name: host.sudo })
      .check();
  }
  await dialog.getByLabel('Address').press('Enter');
  await expect(dialog).toBeHidden();
  await expect(hostRow(page, host.address, host.port ?? '22')).toBeVisible();
}

/**
 * The hosts-table row of `address`. Without `port` any row whose address starts so; with it,
 * exactly that endpoint (two hosts may share an address on different ports).
 */
export function hostRow(page: Page, address: string, port?: string) {
  const addr = address.replace(/[.[\]]/g, '\\$&');
  const exact = port === undefined ? '' : `\\]?${port.trim() === '22' ? '' : `:${port.trim()}`}$`;
  return page.getByRole('row').filter({
    has: page.getByRole('rowheader', { name: new RegExp(`^\\[?${addr}${exact}`) }),
  });
}
