/**
 * The console's browser test harness: the real app (all modules, real PostgreSQL) on a real
 * loopback port, Debian's chromium driven headless by playwright-core, the development sign-in,
 * axe-core for accessibility and screenshots into test-artifacts/console/. One app and one
 * browser per spec file (start them in beforeAll, close them in afterAll).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { startTestApp, type TestApp, type TestAppOptions } from '../../support/context.js';
import { buildNetwork, type TestNetwork } from '../../support/network.js';
import { eventually } from '../../support/store-context.js';

export interface ConsoleApp {
  t: TestApp;
  /** `http://127.0.0.1:<port>`: the console is at `${origin}/console/`. */
  origin: string;
  /** Seeding through the API with development tokens (test/support/network.ts). */
  network: TestNetwork;
  close(): Promise<void>;
}

/** Boots the real app on a loopback port (a fresh database on the test PostgreSQL), with a bootstrapped secretariat (`admin`). */
export async function startConsole(options: TestAppOptions = {}): Promise<ConsoleApp> {
  const t = await startTestApp(options);
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  const network = await buildNetwork(t);
  return { t, origin: `http://127.0.0.1:${port}`, network, close: () => t.close() };
}

/** Debian's chromium (scripts/install-browser.sh installs it), found on PATH. */
export function chromiumPath(): string {
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('chromium is missing: run `bash scripts/install-browser.sh` (npm test runs it)');
  }
}

/** Chromium headless; `--no-sandbox` only when running as root (its sandbox refuses root). */
export async function launchBrowser(): Promise<Browser> {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: root ? ['--no-sandbox'] : [],
  });
}

/** A fresh browser profile (cookies, storage) with a page; fails the test on any page error. */
export async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale: 'en-CA' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { context, page, errors };
}

/**
 * Signs in through the development sign-in page, as a user would: opens the console, clicks the
 * staff member's button, waits for the home page. The staff list is a read model: reload until
 * the user appears.
 */
export async function signIn(page: Page, app: ConsoleApp, userId: string): Promise<void> {
  const button = page.locator(`button[data-user-id="${userId}"]`);
  await eventually(async () => {
    await page.goto(`${app.origin}/console/`);
    await page.locator('#dev-sign-in-title').waitFor({ timeout: 5_000 });
    expect(await button.count()).toBe(1);
  });
  await button.click();
  await page.locator('#sign-out').waitFor();
}

/** Opens a console route (`#/caseload`) and waits for its h1 and for the screen to finish loading. */
export async function openScreen(page: Page, app: ConsoleApp, hash: string): Promise<void> {
  await page.goto(`${app.origin}/console/${hash}`);
  await page.locator('h1').waitFor();
  await settled(page);
}

/**
 * Waits until the screen is no longer busy (a write or a reload finished). A locator, not
 * waitForFunction: the console's CSP (script-src 'self') refuses the eval that waitForFunction needs.
 */
export async function settled(page: Page): Promise<void> {
  await page.locator('main#main:not([aria-busy="true"])').waitFor();
}

/** axe-core on the page as it is now: no serious or critical violation (the list is the failure message). */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(bad).toEqual([]);
}

export const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'console');

/** A full-page screenshot in test-artifacts/console/<name>.png (git-ignored); returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Everything the page keeps in localStorage and sessionStorage (to check nothing from a record is there). */
export async function browserStorage(page: Page): Promise<Record<string, string>> {
  // Runs in the page (this file's tsconfig has no DOM types: the globals are named by hand).
  type Store = { length: number; key(i: number): string | null; getItem(key: string): string | null };
  return page.evaluate(() => {
    const all: Record<string, string> = {};
    const g = globalThis as unknown as { localStorage: Store; sessionStorage: Store };
    for (const [name, store] of [
      ['local', g.localStorage],
      ['session', g.sessionStorage],
    ] as const)
      for (let i = 0; i < store.length; i++) {
        const key = store.key(i)!;
        all[`${name}:${key}`] = store.getItem(key) ?? '';
      }
    return all;
  });
}

/** The catalogue check in the page: every en key has fr text and the reverse. */
export async function missingTranslations(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    (
      globalThis as unknown as { harbourConsole: { missingTranslations(): string[] } }
    ).harbourConsole.missingTranslations(),
  );
}
