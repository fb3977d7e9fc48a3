/**
 * Pod terminals end to end (issue 13, point 3) on the demo cluster, in web mode: the Terminal
 * tab of a running pod opens a shell through the backend's `/api/terminal` (kube-sim's image has
 * no bash, so the probe falls back to sh), `hostname` answers the pod's name as `kubectl exec`
 * does, `exit 3` shows the exit status; resizing the window changes what `stty size` says; two
 * terminals run at once. Screenshots, light and dark, go to e2e/artifacts/pod-exec-*.png.
 */
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { clusterLink, openApp } from './support/app.ts';
import { demoKubectl as kubectl } from './support/demo.ts';

const artifacts = join(import.meta.dirname, 'artifacts');
const NS = 'shop';
const POD = 'redis-0';

/** Light, then dark (the app follows the OS), then back to light. */
async function shoot(page: Page, name: string, target: Locator): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await target.screenshot({ path: join(artifacts, `pod-exec-${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Opens the demo's pod in the Pods section, on its Terminal tab. */
async function openTerminalTab(page: Page): Promise<Locator> {
  await openApp(page);
  await clusterLink(page, 'Demo').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Demo' })).toBeVisible();
  const clusterId = decodeURIComponent(/#\/clusters\/([^/]+)/.exec(page.url())?.[1] ?? '');
  expect(clusterId).not.toBe('');
  await page.evaluate(
    (hash) => {
      window.location.hash = hash;
    },
    `#/clusters/${encodeURIComponent(clusterId)}/pods/${NS}/${POD}`,
  );
  const details = page.getByRole('region', { name: `Pod ${POD}` });
  await expect(details).toBeVisible();
  await details.getByRole('tab', { name: 'Terminal' }).click();
  return details;
}

/** The visible terminal's screen text, one string per row (xterm's DOM rows). */
async function screenText(details: Locator): Promise<string> {
  const rows = details.locator('.terminal-pane:not([hidden]) .xterm-rows > div');
  const texts = await rows.allTextContents();
  return texts.map((t) => t.replaceAll('\u00a0', ' ').trimEnd()).join('\n');
}

/** Types a command line into the visible terminal. */
async function run(page: Page, details: Locator, line: string): Promise<void> {
  await details.locator('.terminal-pane:not([hidden]) .xterm').click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** The last `rows cols` line `stty size` printed. */
async function lastSttySize(details: Locator): Promise<string | undefined> {
  const sizes = (await screenText(details)).match(/^\d+ \d+$/gm);
  return sizes?.at(-1);
}

test('open a terminal, run hostname and exit 3, see the exit status', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1600, height: 900 });
  const details = await openTerminalTab(page);
  await details.getByRole('button', { name: 'New terminal' }).click();
  await expect(details.getByText(`sh in `)).toBeVisible();
  await expect.poll(() => screenText(details)).toContain('/ #');

  await run(page, details, 'hostname');
  const expected = kubectl('-n', NS, 'exec', POD, '--', 'hostname').trim();
  expect(expected).toBe(POD);
  await expect.poll(() => screenText(details)).toMatch(new RegExp(`^${expected}$`, 'm'));
  await shoot(page, 'hostname', details);

  await run(page, details, 'exit 3');
  await expect(details.getByRole('alert')).toHaveText('The shell exited with status 3.');
  await expect(details.getByRole('tab', { name: 'Terminal 1 (exit 3)' })).toBeVisible();
  await shoot(page, 'exit', details);
});

test('resize the window and see stty size change; two terminals at once', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1600, height: 900 });
  const details = await openTerminalTab(page);
  await details.getByRole('button', { name: 'New terminal' }).click();
  await expect.poll(() => screenText(details)).toContain('/ #');
  await run(page, details, 'stty size');
  await expect.poll(() => lastSttySize(details)).toMatch(/^\d+ \d+$/);
  const before = await lastSttySize(details);

  await page.setViewportSize({ width: 1280, height: 640 });
  // The fit addon follows the pane; the next `stty size` reports the new rows and columns.
  await expect
    .poll(async () => {
      await run(page, details, 'stty size');
      return lastSttySize(details);
    })
    .not.toBe(before);
  const after = await lastSttySize(details);
  const [rowsBefore] = (before ?? '').split(' ').map(Number);
  const [rowsAfter] = (after ?? '').split(' ').map(Number);
  expect(rowsAfter).toBeLessThan(rowsBefore ?? 0);

  // A second terminal, its own shell; the first keeps its session.
  await details.getByRole('button', { name: 'New terminal' }).click();
  await expect(details.getByRole('tab', { name: 'Terminal 2' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect.poll(() => screenText(details)).toContain('/ #');
  await run(page, details, 'echo second');
  await expect.poll(() => screenText(details)).toMatch(/^second$/m);
  await shoot(page, 'two-terminals', details);
  await details.getByRole('tab', { name: 'Terminal 1' }).click();
  await expect.poll(() => screenText(details)).toContain(after ?? 'never');
});
