/**
 * The Usage section end to end on the demo (issue 15, "Done when"): the demo's week of history
 * (written into its cluster as the meter's ledger at start, testkit/src/demo/history.ts) is
 * synced by the backend and shown; the bill drills down namespace → workload → pod with the URL
 * and breadcrumbs following; at every level Export CSV downloads a file whose costs add up to
 * the total on the screen, to the micro-unit; missing usage reads "missing", never 0 %; the pod
 * details carry the bill line. Screenshots go to e2e/artifacts/usage-*.png.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { formatMicros, parseMicros } from '../common/src/money.ts';
import { clusterLink, openApp } from './support/app.ts';

const artifacts = join(import.meta.dirname, 'artifacts');
/** Issue 15's exact pod CSV header. */
const POD_CSV_HEADER = 'namespace,pod,uid,start,end,seconds,vcpu,memory_gib,cost';

async function shots(page: Page, name: string, dark = false): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: join(artifacts, `${name}.png`) });
  if (!dark) return;
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(artifacts, `${name}-dark.png`) });
  await page.emulateMedia({ colorScheme: 'light' });
}

async function openUsage(page: Page): Promise<void> {
  await openApp(page);
  await clusterLink(page, 'Demo').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Demo' })).toBeVisible();
  await page
    .getByRole('navigation', { name: 'Cluster sections' })
    .getByRole('link', { name: 'Usage', exact: true })
    .click();
  await expect(page).toHaveURL(/#\/clusters\/[^/]+\/usage$/);
  // Opening the section syncs the ledger first.
  await expect(page.getByRole('button', { name: 'Sync now' })).toBeEnabled({ timeout: 30_000 });
}

/** CSV text → rows of cells (RFC 4180 quoting; the demo's names need none, but be correct). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line) continue;
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted && c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = !quoted;
      else if (c === ',' && !quoted) {
        cells.push(cell);
        cell = '';
      } else cell += c;
    }
    cells.push(cell);
    rows.push(cells);
  }
  return rows;
}

/** Downloads the table's CSV; answers its header, rows and the exact sum of its cost column. */
async function exportCsv(page: Page, card: Locator) {
  const download = page.waitForEvent('download');
  await card.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^[A-Za-z0-9._-]+\.csv$/);
  const [header = [], ...rows] = parseCsv(readFileSync(await file.path(), 'utf8'));
  const cost = header.indexOf('cost');
  expect(cost).toBeGreaterThanOrEqual(0);
  let sum = 0;
  for (const r of rows) {
    const micros = parseMicros(r[cost] ?? '');
    expect(micros, `cost cell "${r[cost]}"`).toBeDefined();
    sum += micros ?? 0;
  }
  return { header: header.join(','), rows, sum, name: file.suggestedFilename() };
}

/** The total on the screen, exact (its title) and as shown (two decimals). */
async function screenTotal(table: Locator): Promise<{ micros: number; shown: string }> {
  const cell = table.getByRole('cell', { name: 'Total cost' });
  const title = (await cell.getAttribute('title')) ?? '';
  const micros = parseMicros(title.split(' ')[0] ?? '');
  expect(micros, `total title "${title}"`).toBeDefined();
  return { micros: micros ?? 0, shown: (await cell.textContent()) ?? '' };
}

async function expectCsvMatchesScreen(page: Page, card: Locator, table: Locator) {
  const csv = await exportCsv(page, card);
  const total = await screenTotal(table);
  expect(csv.sum).toBe(total.micros);
  expect(total.shown).toBe(formatMicros(csv.sum, 2));
  // One CSV line per row on the screen (the tables here are under the 500-row display cap).
  expect(csv.rows.length).toBe(await table.locator('tbody tr').count());
  return csv;
}

test('the demo shows a week of history, drills down to a pod, and its CSV adds up', async ({
  page,
}) => {
  test.setTimeout(120_000);
  // The chart (uPlot, its own chunk and stylesheet) must load under the app's strict CSP.
  const refused: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) refused.push(m.text());
  });
  await openUsage(page);
  const section = page.getByRole('region', { name: 'Usage' });
  const bill = section
    .locator('.usage-card')
    .filter({ has: page.getByRole('navigation', { name: 'Breadcrumbs' }) });

  // A week of history: the desktop holds seven days of hours, the chart draws them.
  const facts = section.getByText(/^Last synced .* · history /);
  await expect(facts).toBeVisible({ timeout: 30_000 });
  const [, from, to] =
    /history (\S+ \S+) UTC – (\S+ \S+) UTC/.exec((await facts.textContent()) ?? '') ?? [];
  const days =
    (Date.parse(`${to?.replace(' ', 'T')}:00Z`) - Date.parse(`${from?.replace(' ', 'T')}:00Z`)) /
    86_400_000;
  expect(days).toBeGreaterThanOrEqual(6.9);
  await expect(section.getByRole('img', { name: /^Cost over time, stacked: / })).toBeVisible();
  await expect(section.locator('.usage-chart canvas')).toBeVisible();

  const namespaces = bill.getByRole('table', { name: 'Bill by namespace' });
  await expect(namespaces).toBeVisible();
  for (const ns of ['shop', 'data', 'ml']) {
    await expect(namespaces.getByRole('rowheader', { name: ns, exact: true })).toBeVisible();
  }
  // Without a meter (the demo starts without one), the header offers to install it.
  if (await section.getByText('No meter: pods in this cluster are not recorded').isVisible()) {
    await expect(section.getByRole('button', { name: 'Install meter' })).toBeVisible();
  }
  await shots(page, 'usage-section', true);
  expect(refused).toEqual([]);
  // Hovering a bar reads that hour's cost per layer.
  const legend = section.locator('.usage-legend');
  await expect(legend).toContainText(/^Whole range: \d+\.\d{2} USD/);
  // uPlot's cursor layer (.u-over) lies over the canvas and takes the pointer.
  await section.locator('.usage-chart .u-over').hover();
  await expect(legend).toContainText(/^\d{4}-\d{2}-\d{2} \d{2}:00 UTC: \d+\.\d{2} USD/);
  await shots(page, 'usage-chart-hover');
  await page.mouse.move(0, 0);
  await expectCsvMatchesScreen(page, bill, namespaces);

  // The range is in the URL; the last 24 hours bill less than the week, and add up too.
  const week = await screenTotal(namespaces);
  await section.getByRole('radio', { name: '24 h' }).click();
  await expect(page).toHaveURL(/\/usage\?range=24h$/);
  await expect.poll(async () => (await screenTotal(namespaces)).micros).toBeLessThan(week.micros);
  await expectCsvMatchesScreen(page, bill, namespaces);
  // A custom range: whole UTC days, From after To is refused naming the field.
  await section.getByRole('radio', { name: 'Custom' }).click();
  const custom = section.getByRole('form', { name: 'Custom range' });
  const today = new Date().toISOString().slice(0, 10);
  const weekAgo = new Date(Date.now() - 8 * 86_400_000).toISOString().slice(0, 10);
  await custom.getByLabel('From').fill(today);
  await custom.getByLabel('To').fill(weekAgo);
  await custom.getByRole('button', { name: 'Apply' }).click();
  await expect(section.getByText('To: must be on or after From.')).toBeVisible();
  await custom.getByLabel('From').fill(weekAgo);
  await custom.getByLabel('To').fill(today);
  await custom.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(new RegExp(`/usage\\?range=${weekAgo}\\.\\.${today}$`));
  // Nine whole days hold all of the history (the preset's first hour included).
  await expect
    .poll(async () => (await screenTotal(namespaces)).micros)
    .toBeGreaterThan(week.micros);
  await expectCsvMatchesScreen(page, bill, namespaces);
  await section.getByRole('radio', { name: '7 days' }).click();
  await expect(page).toHaveURL(/\/usage$/);
  await expect.poll(async () => (await screenTotal(namespaces)).micros).toBe(week.micros);

  // Namespace → its workloads.
  await namespaces.getByRole('link', { name: 'shop', exact: true }).click();
  await expect(page).toHaveURL(/\/usage\/shop$/);
  const workloads = bill.getByRole('table', { name: 'Bill by workload' });
  await expect(workloads.getByRole('link', { name: 'Deployment/web' })).toBeVisible();
  await expect(workloads.getByRole('link', { name: 'CronJob/nightly-report' })).toBeVisible();
  await expect(section.getByText('Workloads of shop')).toBeVisible();
  await expectCsvMatchesScreen(page, bill, workloads);
  await shots(page, 'usage-namespace');

  // Workload → its pods, in the exact pod CSV.
  await workloads.getByRole('link', { name: 'Deployment/web' }).click();
  await expect(page).toHaveURL(/\/usage\/shop\/Deployment\/web$/);
  const pods = bill.getByRole('table', { name: 'Bill by pod' });
  await expect(pods.getByRole('rowheader', { name: /^web-/ }).first()).toBeVisible();
  const nav = bill.getByRole('navigation', { name: 'Breadcrumbs' });
  await expect(nav).toHaveText(/All namespaces\s*›?\s*shop\s*›?\s*Deployment\/web/);
  const csv = await expectCsvMatchesScreen(page, bill, pods);
  expect(csv.header).toBe(POD_CSV_HEADER);
  expect(csv.rows.every((r) => /^\d+$/.test(r[5] ?? '') && /Z$/.test(r[3] ?? ''))).toBe(true);
  await pods.scrollIntoViewIfNeeded();
  await shots(page, 'usage-pods');

  // Back up by the breadcrumbs; Back returns to the pods.
  await nav.getByRole('link', { name: 'All namespaces' }).click();
  await expect(page).toHaveURL(/\/usage$/);
  await expect(namespaces).toBeVisible();
  await page.goBack();
  await expect(pods).toBeVisible();
});

test('usage missing during the metrics outage reads missing, never 0 %', async ({ page }) => {
  await openUsage(page);
  const section = page.getByRole('region', { name: 'Usage' });
  await section.getByRole('link', { name: 'data', exact: true }).click();
  await section.getByRole('link', { name: 'Job/backfill-2025-q1' }).click();
  const pods = section.getByRole('table', { name: 'Bill by pod' });
  const missing = pods.getByRole('cell', { name: 'missing', exact: true });
  await expect(missing.first()).toBeVisible();
  await expect(missing.first()).toHaveAttribute('title', /Not 0 %/);
  await expect(pods.getByRole('cell', { name: '0.0 %' })).toHaveCount(0);
  await shots(page, 'usage-missing');
});

test('idle capacity, prices with errors naming the field, and the pod line', async ({ page }) => {
  await openUsage(page);
  const section = page.getByRole('region', { name: 'Usage' });
  const idle = section.getByLabel('Idle capacity');
  // Capacity is sampled while the backend has the cluster open: the week before has none.
  await expect(idle.getByText(/^Pool capacity$|capacity is not known for these/)).toBeVisible({
    timeout: 30_000,
  });
  await idle.scrollIntoViewIfNeeded();
  await shots(page, 'usage-idle');

  await section.getByRole('heading', { name: 'Prices' }).click();
  const form = section.getByRole('form', { name: 'Prices' });
  await form.getByLabel('Price per vCPU-hour').fill('cheap');
  await form.getByRole('button', { name: 'Save prices' }).click();
  await expect(form.getByText(/^Price per vCPU-hour must be a number/)).toBeVisible();
  await form.getByRole('radio', { name: 'From machine cost' }).check();
  await form.getByLabel('Target utilisation').fill('0');
  await form.getByRole('button', { name: 'Save prices' }).click();
  await expect(form.getByText(/^Target utilisation must be a whole percentage/)).toBeVisible();
  await form.getByRole('button', { name: 'Save prices' }).scrollIntoViewIfNeeded();
  await shots(page, 'usage-prices');
  // Saved prices are the bill's: the section reads everything again at them.
  await form.getByRole('radio', { name: 'Entered' }).check();
  await form.getByLabel('Price per vCPU-hour').fill('0.08096');
  await form.getByRole('button', { name: 'Save prices' }).click();
  const summary = section.locator('.usage-prices summary');
  await expect(summary).toContainText('0.08096 USD per vCPU-hour');
  await expect(summary).not.toContainText('(defaults)');
  // Put the demo's prices back for the other specs.
  await section.getByRole('heading', { name: 'Prices' }).click();
  const again = section.getByRole('form', { name: 'Prices' });
  if (!(await again.isVisible())) await section.getByRole('heading', { name: 'Prices' }).click();
  await again.getByLabel('Price per vCPU-hour').fill('0.04048');
  await again.getByRole('button', { name: 'Save prices' }).click();
  await expect(summary).toContainText('0.04048 USD per vCPU-hour');

  // The pod details: the bill line, or why there is none (the demo's live pods are not in the
  // week's ledger unless a meter runs in the demo).
  await page
    .getByRole('navigation', { name: 'Cluster sections' })
    .getByRole('link', { name: 'Pods', exact: true })
    .click();
  const row = page
    .getByRole('grid', { name: 'Pods' })
    .locator('[role="row"]')
    .filter({ hasText: /web-/ })
    .first();
  await row.click();
  const details = page.getByRole('region', { name: /^Pod web-/ });
  const line = details.getByLabel('Bill');
  await expect(line).toContainText(
    /billed [\d.]+ vCPU \/ [\d.]+ GiB for .* = \d+\.\d{6} \w+|Not billed/,
    { timeout: 20_000 },
  );
  await shots(page, 'usage-pod-bill');
});
