import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { tempDir } from '../helpers/tmp.ts';
import { ADMIN_FIRST_PASSWORD } from '../web/harness.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
export const SCREENSHOTS = path.join(ROOT, 'test-artifacts', 'screenshots');

let built: string | undefined;

/**
 * Builds the web UI into a temporary directory, so the test sees the current sources and writes nothing shared;
 * once per test file. Vite's lock against concurrent builds of one project is bypassed: each build has its own
 * output directory, and test files run in parallel.
 */
export function buildUi(): string {
  if (built !== undefined) return built;
  const out = mkdtempSync(path.join(tmpdir(), 'callbox-ui-'));
  process.once('exit', () => rmSync(out, { recursive: true, force: true }));
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--bypass-lock', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], { cwd: path.join(ROOT, 'web-ui'), stdio: 'inherit' });
  built = out;
  return out;
}

/** Debian's chromium, headless, in a fresh profile; never a downloaded browser. */
export async function openBrowser(t: { after(fn: () => unknown): void }): Promise<{ context: BrowserContext; page: Page }> {
  const profile = tempDir(t, 'callbox-chromium-');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1366, height: 860 },
  });
  t.after(() => context.close());
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(10_000);
  return { context, page };
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Signs in as the first-boot admin and goes through the forced password change to the dashboard. */
export async function firstLogin(page: Page, url: string, newPassword: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(ADMIN_FIRST_PASSWORD);
  await shot(page, '01-login');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Choose your password' }).waitFor();
  await page.getByLabel('Current password').fill(ADMIN_FIRST_PASSWORD);
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByLabel('New password again').fill(newPassword);
  await shot(page, '02-change-password');
  await page.getByRole('button', { name: 'Save password' }).click();
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
}
