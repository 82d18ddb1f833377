import type { Browser, Page } from 'playwright-core';
import {
  browserStorage,
  type ConsoleApp,
  expectAccessible,
  launchBrowser,
  missingTranslations,
  newPage,
  openScreen,
  screenshot,
  signIn,
  startConsole,
} from './support/index.js';

/** The shell in a real browser: sign-in page, development sign-in, home by role, navigation, problems, language. */
describe('console shell', () => {
  let app: ConsoleApp;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let agency: string;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startConsole(), launchBrowser()]);
    agency = await app.network.apply('Shelter North', 'shelter');
    await app.network.admit(agency);
    await app.network.staff(agency, 'cara-worker', ['caseworker']);
    ({ page, errors } = await newPage(browser));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  afterEach(() => expect(errors).toEqual([]));

  it('shows the sign-in page with the development user picker, accessible', async () => {
    await page.goto(`${app.origin}/console/`);
    await page.locator('#dev-sign-in-title').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Sign in to Harbour');
    expect(await page.title()).toBe('Sign in to Harbour — Harbour');
    await expect(page.locator('button[data-user-id="cara-worker"]').textContent()).resolves.toContain('Shelter North');
    await expectAccessible(page);
    await screenshot(page, 'sign-in');
  });

  it('signs in by the development sign-in and shows the home page for the role, with the h1 focused', async () => {
    await signIn(page, app, 'cara-worker');
    await openScreen(page, app, '#/');
    expect(await page.locator('h1').textContent()).toBe('Home');
    expect(await page.evaluate('document.activeElement?.id')).toBe('page-title');
    await expect(page.locator('main').textContent()).resolves.toContain('Caseworker: see your caseload');
    expect(await page.locator('.who').textContent()).toBe('Signed in as cara-worker');
    await expect(page.locator('nav a[aria-current="page"]').textContent()).resolves.toBe('Home');
    await expectAccessible(page);
    await screenshot(page, 'home-caseworker');
  });

  it('answers an unknown page with a not-found page, and a keyboard user can skip to the content', async () => {
    await openScreen(page, app, '#/no-such-page');
    expect(await page.locator('h1').textContent()).toBe('Page not found');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.id')).toBe('skip-link');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement?.id')).toBe('main');
    expect(await page.evaluate('location.hash')).toBe('#/no-such-page');
  });

  it('switches to French and keeps the choice (only the language) in localStorage', async () => {
    await openScreen(page, app, '#/');
    await page.selectOption('#language', 'fr');
    await page.locator('h1', { hasText: 'Accueil' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('fr');
    await page.reload();
    await page.locator('h1', { hasText: 'Accueil' }).waitFor();
    expect(await browserStorage(page)).toEqual({ 'local:harbour.language': 'fr' });
    await expectAccessible(page);
    await page.selectOption('#language', 'en');
    await page.locator('h1', { hasText: 'Home' }).waitFor();
  });

  it('has an English and a French text for every message of every screen', async () => {
    expect(await missingTranslations(page)).toEqual([]);
  });
});
