/**
 * Events end to end (issue 13, point 2) on the demo cluster in web mode: the crash-looping
 * `data/ingest-worker` pod's BackOff warnings appear in its details (ObjectEvents, from the
 * window's index of the events feed), and the cluster-wide Events section lists them, filters
 * them by namespace, type, reason and object, and links a row to the pod's details.
 * Screenshots go to e2e/artifacts/events-*.png, light and dark.
 */
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { clusterLink, openApp } from './support/app.ts';

const artifacts = join(import.meta.dirname, 'artifacts');
/** kube-sim's kubelet records the first BackOff after the first crash (10 s backoff). */
const BACKOFF_WAIT = 45_000;

async function openSection(page: Page, name: 'Pods' | 'Events'): Promise<void> {
  await openApp(page);
  const link = clusterLink(page, 'Demo');
  await expect(link).toBeVisible();
  await link.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Demo' })).toBeVisible();
  await page
    .getByRole('navigation', { name: 'Cluster sections' })
    .getByRole('link', { name, exact: true })
    .click();
}

async function shots(page: Page, name: string): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: join(artifacts, `${name}.png`) });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(artifacts, `${name}-dark.png`) });
  await page.emulateMedia({ colorScheme: 'light' });
}

test("a failing pod's BackOff warnings appear in its details", async ({ page }) => {
  test.setTimeout(120_000);
  await openSection(page, 'Pods');
  const grid = page.getByRole('grid', { name: 'Pods' });
  await expect(grid).toBeVisible();
  const row = grid
    .locator('[role="row"]')
    .filter({ hasText: /ingest-worker-/ })
    .first();
  await expect(row).toBeVisible();
  await row.click();
  const details = page.getByRole('region', { name: /^Pod ingest-worker-/ });
  await expect(details).toBeVisible();
  const events = details.getByRole('list', { name: 'Events' });
  const backoff = events.locator('li.event.warning').filter({ hasText: 'BackOff' });
  await expect(backoff.first()).toBeVisible({ timeout: BACKOFF_WAIT });
  await expect(backoff.first()).toContainText('Warning');
  await expect(backoff.first()).toContainText('Back-off restarting failed container');
  await expect(details).toContainText('Kubernetes keeps events for about an hour');
  // Repeats are one line, not one per Event object.
  await expect(backoff).toHaveCount(1);
  await backoff.first().scrollIntoViewIfNeeded();
  await shots(page, 'events-pod-details');
});

test('the Events section lists, filters and links the failing pod’s warnings', async ({ page }) => {
  test.setTimeout(120_000);
  await openSection(page, 'Events');
  expect(page.url()).toMatch(/#\/clusters\/[^/]+\/events$/);
  const section = page.getByRole('region', { name: 'Events' });
  await expect(section).toContainText('Kubernetes keeps events for about an hour');
  const table = section.getByRole('table', { name: 'Events' });
  await expect(table).toBeVisible();
  const rows = table.locator('.events-body [role="row"]');
  await expect(rows.first()).toBeVisible();
  const status = section.getByRole('status').filter({ hasText: / events$/ });
  await expect(status).toContainText(/of [\d,]+ events/);
  await shots(page, 'events-section-all');

  await section.getByLabel('Namespace').selectOption('data');
  await section.getByLabel('Type').selectOption('Warning');
  await section.getByLabel('Reason').fill('backoff');
  const backoff = rows.filter({ hasText: 'BackOff' });
  await expect(backoff.first()).toBeVisible({ timeout: BACKOFF_WAIT });
  // Only data's warnings whose reason matches are left.
  const texts = await rows.allInnerTexts();
  expect(texts.length).toBeGreaterThan(0);
  for (const t of texts) {
    expect(t).toContain('Warning');
    expect(t).toContain('BackOff');
    expect(t).toMatch(/Pod\/ingest-worker-/);
  }
  await section.getByLabel('Object').fill('pod/nothing-like-this');
  await expect(section).toContainText('No event matches the filters.');
  await section.getByLabel('Object').fill('pod/ingest-worker');
  await expect(backoff.first()).toBeVisible();
  await shots(page, 'events-section');

  // The object links to the pod's details in the Pods section.
  await backoff
    .first()
    .getByRole('link', { name: /^Pod\/ingest-worker-/ })
    .click();
  await expect(page).toHaveURL(/#\/clusters\/[^/]+\/pods\/data\/ingest-worker-/);
  await expect(page.getByRole('region', { name: /^Pod ingest-worker-/ })).toBeVisible();
});
