/**
 * Debian's Chromium is the browser under test (Playwright's own download is not reachable
 * on our build machines). Installed with apt when missing, as the README's test command does.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  console.log(`${CHROMIUM} is missing; installing Debian's chromium package with apt-get…`);
  execFileSync('apt-get', ['install', '-y', '-o', 'DPkg::Lock::Timeout=600', 'chromium'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (!existsSync(CHROMIUM))
    throw new Error(`apt-get finished but ${CHROMIUM} still does not exist`);
}
