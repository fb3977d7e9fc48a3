/**
 * The "Add machines" flow end to end against real test hosts (issue 5, point 6 and the
 * e2e of "Done when"): add hosts → Test connection → fingerprint consent → live grid →
 * capacity map. Screenshots are kept in e2e/artifacts/onboarding-*.png.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { loadFleet, type HostInventory } from '../testkit/src/hosts/index.ts';
import { requireOrSkip } from '../testkit/src/test-support/require-or-skip.ts';
import { addHost, createCluster, openApp, uniqueName } from './support/app.ts';
import { FLEET_PREFIX, fleetInventory } from './support/fleet.ts';

const artifacts = join(import.meta.dirname, 'artifacts');
const found = fleetInventory();
const hosts: readonly HostInventory[] = 'fleet' in found ? found.fleet.hosts : [];

test.describe('onboarding', () => {
  // Evaluated when the spec loads (after global setup): under CI=true a missing fleet fails.
  const reason = 'reason' in found ? found.reason : '';
  test.skip(requireOrSkip(`onboarding e2e: ${reason}`, 'fleet' in found), reason);
  // Checks run real SSH sessions against machines sharing 2 CPUs with everything else.
  test.describe.configure({ timeout: 300_000 });

  test('add machines, trust their keys, see the capacity map', async ({ page, context }) => {
    const [h1, h2] = hosts;
    if (!h1 || !h2) throw new Error('the fleet has fewer than 2 hosts');
    // Any React error, CSP violation or failed request shows up here.
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    // Live streams share one WebSocket per window; none may hold an HTTP connection open
    // (two windows of SSE streams once used up the browser's six and stalled "Trust").
    const sockets: string[] = [];
    const eventStreams: string[] = [];
    context.on('page', (p) => p.on('websocket', (ws) => sockets.push(ws.url())));
    page.on('websocket', (ws) => sockets.push(ws.url()));
    context.on('request', (r) => {
      if (r.headers()['accept'] === 'text/event-stream') eventStreams.push(r.url());
    });
    await openApp(page);
    await createCluster(page, uniqueName('onb'));
    await addAdminHost(page, h1, 'Server (control plane)');
    await addAdminHost(page, h2, 'Agent (runs pods)');

    await page.getByRole('button', { name: 'Test connection' }).click();
    // A second window on the same cluster follows the check live.
    const second = await context.newPage();
    await second.goto(page.url());
    await expect(grid(second)).toBeVisible();

    // First contact: one consent dialog per host, each with the key the host really has.
    for (let i = 0; i < 2; i++) {
      const dialog = page.getByRole('dialog', { name: /^Trust the host key of / });
      await expect(dialog).toBeVisible({ timeout: 120_000 });
      const title = (await dialog.getByRole('heading', { level: 2 }).textContent()) ?? '';
      const host = hosts.find((h) => title.includes(h.address));
      expect(host, `dialog names a fleet host: ${title}`).toBeDefined();
      await expect(dialog.getByTestId('fingerprint')).toHaveText(host?.hostKeySha256 ?? '');
      await expect(dialog).toContainText('ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub');
      if (i === 0) await page.screenshot({ path: join(artifacts, 'onboarding-consent.png') });
      await dialog.getByRole('button', { name: 'Trust this key' }).click();
      await expect(dialog.getByRole('heading', { name: title })).toBeHidden({ timeout: 60_000 });
    }

    // Accepting re-runs the check; the grid reaches done for both hosts.
    for (const h of [h1, h2]) {
      await expect(gridRow(page, h.address)).toContainText('Done', { timeout: 180_000 });
    }
    await expect(page.getByText('Connection test finished')).toBeVisible();
    await expect(page.getByRole('progressbar', { name: 'Overall progress' })).toHaveAttribute(
      'aria-valuetext',
      '10 of 10 steps',
    );
    for (const h of [h1, h2]) {
      const card = page.getByRole('article', { name: `Machine ${h.address}`, exact: true });
      await expect(card).toBeVisible();
      await expect(card).toContainText('gVisor-only');
      await expect(card.getByText('vCPU', { exact: true })).toBeVisible();
      await expect(card.getByText('Memory', { exact: true })).toBeVisible();
      await expect(card).toContainText(/\d+(\.\d)? (GiB|MiB)/);
    }
    const pods = page.getByRole('table', { name: 'Pods that fit per size' });
    await expect(pods).toBeVisible();
    await expect(pods.getByRole('row')).toHaveCount(9); // header + 8 vCPU sizes
    await fullShot(page, 'onboarding-capacity-map.png');
    await page.emulateMedia({ colorScheme: 'dark' });
    await fullShot(page, 'onboarding-capacity-map-dark.png');
    await page.emulateMedia({ colorScheme: 'light' });

    // The second window got there on its own, from the event stream.
    await expect(
      second.getByRole('article', { name: `Machine ${h2.address}`, exact: true }),
    ).toBeVisible();
    // A reload shows the latest report again.
    await second.reload();
    await expect(
      second.getByRole('article', { name: `Machine ${h1.address}`, exact: true }),
    ).toContainText('gVisor-only');
    await expect(gridRow(second, h1.address)).toContainText('Done');
    await second.close();
    expect(eventStreams).toEqual([]);
    // One per window load: this page, the second window and its reload.
    expect(sockets.length).toBeGreaterThanOrEqual(2);
    expect(sockets.length).toBeLessThanOrEqual(3);
    expect(sockets.every((u) => u.endsWith('/api/ws'))).toBe(true);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const csv = readFileSync(await (await download).path(), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('size,vcpu,memory_gib,pods_that_fit');
    expect(csv).toContain('0.25 vCPU / 0.5 GiB');
    expect(problems).toEqual([]);
  });

  test('an unreachable host fails in plain words while the other completes', async ({ page }) => {
    const [h1] = hosts;
    if (!h1) throw new Error('the fleet has no host');
    await openApp(page);
    await createCluster(page, uniqueName('onb-bad'));
    await addAdminHost(page, h1, 'Server (control plane)');
    // Nothing listens on port 2 of the host: the connection is refused.
    await addHost(page, {
      address: h1.address,
      port: '2',
      user: 'admin',
      role: 'Agent (runs pods)',
      auth: { kind: 'key', keyPath: h1.accounts.admin.keyPath },
      sudo: 'Passwordless',
    });
    await page.getByRole('button', { name: 'Test connection' }).click();
    await finishCheckAcceptingKeys(page);

    await expect(gridRow(page, h1.address)).toContainText('Done');
    const bad = gridRow(page, `${h1.address}:2`);
    await expect(bad).toContainText('Stopped');
    const detail = page.getByRole('alert').filter({ hasText: 'Connect failed' });
    await expect(detail).toBeVisible();
    await expect(detail).toContainText('What to do:');
    await expect(detail).not.toContainText(/ECONNREFUSED|Error:|\bat .+:\d+/);
    await expect(page.getByText('This cluster cannot be installed yet.')).toBeVisible();
    await expect(
      page.getByRole('article', { name: `Machine ${h1.address}`, exact: true }),
    ).toContainText('gVisor-only');
    await fullShot(page, 'onboarding-unreachable.png');
  });

  test('import from ~/.ssh/config adds the picked entries', async ({ page }) => {
    const [h1, h2] = hosts;
    if (!h1 || !h2) throw new Error('the fleet has fewer than 2 hosts');
    const home = process.env.NODELESS_E2E_HOME;
    if (!home) throw new Error('NODELESS_E2E_HOME is not set');
    writeFileSync(
      join(home, '.ssh', 'config'),
      [h1, h2]
        .map(
          (h) =>
            `Host ${h.name}\n  HostName ${h.address}\n  User admin\n  IdentityFile ${h.accounts.admin.keyPath}\n`,
        )
        .join('\n') + '\nHost *\n  ServerAliveInterval 30\n',
      { mode: 0o600 },
    );
    await openApp(page);
    await createCluster(page, uniqueName('onb-imp'));
    await page.getByRole('button', { name: 'Import from ~/.ssh/config' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import hosts from ~/.ssh/config' });
    await expect(dialog.getByRole('checkbox')).toHaveCount(2);
    await dialog.getByRole('checkbox', { name: h1.name }).check();
    await dialog.getByRole('checkbox', { name: h2.name }).check();
    await dialog.getByRole('combobox', { name: `Role of ${h2.name}` }).selectOption('agent');
    await page.screenshot({ path: join(artifacts, 'onboarding-import.png') });
    await dialog.getByRole('button', { name: 'Add 2 hosts' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText('1 server · 1 agent')).toBeVisible();
    await expect(
      page.getByRole('cell', { name: `Key ${h1.accounts.admin.keyPath}` }).first(),
    ).toBeVisible();
  });

  // Last in the file: it leaves the backend trusting a key the host no longer has.
  test('a changed host key stops the host until the user deliberately replaces it', async ({
    page,
  }) => {
    const [, h2] = hosts;
    if (!h2) throw new Error('the fleet has fewer than 2 hosts');
    const testHost = (await loadFleet({ prefix: FLEET_PREFIX }))?.host(h2.name);
    if (!testHost) throw new Error(`fleet ${FLEET_PREFIX} is not up`);
    await openApp(page);
    await createCluster(page, uniqueName('onb-key'));
    await addAdminHost(page, h2, 'Server (control plane)');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await finishCheckAcceptingKeys(page);
    await expect(gridRow(page, h2.address)).toContainText('Done');

    const oldKey = h2.hostKeySha256;
    const newKey = await testHost.regenerateHostKey();
    try {
      await page.getByRole('button', { name: 'Test connection' }).click();
      const dialog = page.getByRole('dialog', {
        name: `The host key of ${h2.address} has changed`,
      });
      await expect(dialog).toBeVisible({ timeout: 120_000 });
      await expect(dialog.getByTestId('known-fingerprint')).toHaveText(oldKey);
      await expect(dialog.getByTestId('fingerprint')).toHaveText(newKey);
      const replace = dialog.getByRole('button', { name: 'Replace the trusted key' });
      await expect(replace).toBeDisabled();
      await page.screenshot({ path: join(artifacts, 'onboarding-changed-key.png') });
      // Refusing leaves the host stopped, with the way back offered.
      await dialog.getByRole('button', { name: 'Keep refusing' }).click();
      await expect(dialog).toBeHidden();
      await expect(page.getByText(/You rejected this host key/)).toBeVisible();
      await page.getByRole('button', { name: 'Review host key' }).first().click();
      await dialog.getByRole('checkbox', { name: /I verified the new fingerprint/ }).check();
      const before = await page.locator('.check-grid').getAttribute('data-check-id');
      await replace.click();
      await expect(page.locator('.check-grid')).not.toHaveAttribute('data-check-id', before ?? '', {
        timeout: 60_000,
      });
      await expect(gridRow(page, h2.address)).toContainText('Done', { timeout: 120_000 });
    } finally {
      await testHost.restoreHostKey();
    }
  });
});

function grid(page: Page) {
  return page.getByRole('table', { name: 'Connection test per host' });
}

/** The grid row of a host, by its exact `address[:port]`. */
function gridRow(page: Page, name: string) {
  return grid(page).locator(`tr[data-host="${name}"]`);
}

/** The app scrolls inside its content pane: a tall viewport gets the whole page in a shot. */
async function fullShot(page: Page, name: string): Promise<void> {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1280, height: 2400 });
  await page.screenshot({ path: join(artifacts, name), fullPage: true });
  if (size) await page.setViewportSize(size);
}

async function addAdminHost(
  page: Page,
  h: HostInventory,
  role: 'Server (control plane)' | 'Agent (runs pods)',
): Promise<void> {
  await addHost(page, {
    address: h.address,
    user: 'admin',
    role,
    auth: { kind: 'key', keyPath: h.accounts.admin.keyPath },
    sudo: 'Passwordless',
  });
}

/**
 * Waits for the check to finish; if hosts ask for consent (this spec may run alone, before
 * any key is trusted), trusts each shown key — after checking it is the fleet's — and waits
 * for the re-run that accepting starts. Conditions come from the grid's data attributes.
 */
async function finishCheckAcceptingKeys(page: Page): Promise<void> {
  const g = page.locator('.check-grid');
  await expect(g).toHaveAttribute('data-running', 'false', { timeout: 180_000 });
  const dialog = page.getByRole('dialog', { name: /^Trust the host key of / });
  if (!(await dialog.isVisible())) return;
  const before = await g.getAttribute('data-check-id');
  for (let i = 0; i < hosts.length && (await dialog.isVisible()); i++) {
    const shown = (await dialog.getByTestId('fingerprint').textContent()) ?? '';
    expect(hosts.map((h) => h.hostKeySha256)).toContain(shown);
    await dialog.getByRole('button', { name: 'Trust this key' }).click();
    await expect(dialog.getByTestId('fingerprint')).not.toHaveText(shown, { timeout: 60_000 });
  }
  await expect(g).not.toHaveAttribute('data-check-id', before ?? '');
  await expect(g).toHaveAttribute('data-running', 'false', { timeout: 180_000 });
}
