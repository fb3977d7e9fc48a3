/**
 * e2e against web mode: the real backend (started by global-setup.ts) and Debian's Chromium.
 * Run: `npm run build:renderer && npx playwright test -c e2e/playwright.config.ts`.
 *
 * @see https://playwright.dev/docs/test-configuration
 */
import { defineConfig } from '@playwright/test';
import { CHROMIUM } from './support/chromium.ts';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  // Playwright empties outputDir at every run: its own results (traces, failure shots) go to
  // the ignored test-results/, so the screenshots specs write by path into artifacts/ survive
  // running one spec.
  outputDir: 'test-results',
  globalSetup: './global-setup.ts',
  // One backend is shared; tests use unique names, but one worker keeps 2-core CI calm.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // The HTML report (with trace viewer scripts) goes to the repo root's ignored
  // playwright-report/, not under e2e/ where lint would read its bundled JS.
  reporter: [['list'], ['html', { open: 'never', outputFolder: '../playwright-report' }]],
  use: {
    headless: true,
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-gpu',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
