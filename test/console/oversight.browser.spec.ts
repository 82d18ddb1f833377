import type { Browser, Page } from 'playwright-core';
import {
  type ConsoleApp,
  expectAccessible,
  launchBrowser,
  newPage,
  screenshot,
  signIn,
  startConsole,
} from './support/index.js';
import { eventually } from '../support/store-context.js';

/**
 * The oversight screens in a real browser: the network admin's agencies, staff, motions and
 * services; the privacy officer's access log (filtered), trail, flags, break-glass, integrity and
 * role grants; the analyst's report with withheld cells marked, its chart, CSV and the DP run.
 * Synthetic names only.
 */
describe('console oversight screens', () => {
  let app: ConsoleApp;
  let browser: Browser;
  let shelter: string;
  let survivorId: string;
  const pageErrors: string[][] = [];

  /** A fresh profile signed in as this user (each role its own session). */
  const as = async (userId: string): Promise<Page> => {
    const { page, errors } = await newPage(browser);
    pageErrors.push(errors);
    await signIn(page, app, userId);
    return page;
  };
  /**
   * Opens a screen and waits for it to finish loading. (Locators, not a string predicate: the
   * console's CSP forbids eval, so page.waitForFunction('…') fails whenever it has to poll.)
   */
  const open = async (page: Page, hash: string) => {
    await page.goto(`${app.origin}/console/${hash}`);
    await page.locator('h1').waitFor();
    await page.locator('main:not([aria-busy="true"]) .screen-body:not(:has(> p.muted:only-child))').waitFor();
  };
  /** Opens a screen, checks its title and that axe finds nothing serious. */
  const visit = async (page: Page, hash: string, title: string) => {
    await open(page, hash);
    expect(await page.locator('h1').textContent()).toBe(title);
    await expectAccessible(page);
  };

  beforeAll(async () => {
    [app, browser] = await Promise.all([startConsole(), launchBrowser()]);
    const net = app.network;
    shelter = await net.apply('Synthetic Shelter North', 'shelter');
    await net.admit(shelter);
    await net.staff(shelter, 'sam-worker', ['caseworker']);
    await net.staff(shelter, 'pia-officer', ['privacy-officer']);
    await net.staff(net.secretariat, 'ana-analyst', ['analyst']);
    // One record and one read of it, so the access log has something to show.
    const auth = await net.auth('sam-worker');
    survivorId = (await net.http.post('/v1/intakes').set('Authorization', auth).expect(201)).body.survivorId;
    await net.http
      .put(`/v1/intakes/${survivorId}/sections/needs`)
      .set('Authorization', auth)
      .send({ content: { needs: [{ category: 'shelter', urgency: 'high' }] } })
      .expect(200);
    await net.http.get(`/v1/intakes/${survivorId}?purpose=care-coordination`).set('Authorization', auth).expect(200);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  afterEach(() => {
    for (const errors of pageErrors) expect(errors).toEqual([]);
  });

  it('network admin: agencies, an application typed with the keyboard only (field errors first), staff, motions, services', async () => {
    const page = await as('admin');
    await visit(page, '#/admin/agencies', 'Member agencies');
    await expect(page.locator('table').textContent()).resolves.toContain('Synthetic Shelter North');
    await screenshot(page, 'admin-agencies');

    // Keyboard only: into the form's first field, submit empty, read the errors, then fill and submit.
    const name = page.locator('form[aria-label="Submit an application to join"] input[name="name"]');
    await name.focus();
    await page.keyboard.press('Enter');
    const alert = page.locator('.form-problem[role="alert"]');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain('Please correct the fields marked below.');
    await expect(page.locator('[data-field="contact.email"] .field-error').textContent()).resolves.toMatch(/email/);
    expect(await page.locator('[data-field="name"] input').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(':focus').getAttribute('name')).toBe('name'); // focus on the first field in error
    await page.keyboard.type('Synthetic Legal Clinic');
    await page.keyboard.press('Tab'); // sector
    await page.keyboard.press('Tab'); // regions
    await page.keyboard.type('on-toronto');
    await page.keyboard.press('Tab'); // requested tier
    await page.keyboard.press('Tab'); // contact name
    await page.keyboard.type('Jo Example');
    await page.keyboard.press('Tab');
    await page.keyboard.type('jo@example.org');
    await page.keyboard.press('Tab'); // phone (optional)
    await page.keyboard.press('Tab'); // the submit button
    expect(await page.locator(':focus').textContent()).toBe('Submit the application');
    await page.keyboard.press('Enter');
    await page.locator('table a', { hasText: 'Synthetic Legal Clinic' }).waitFor();
    await expect(page.locator('table').textContent()).resolves.toContain('Applicant');

    // The applicant's page offers what the admin may do; a refusal shows on the form.
    await page.locator('table a', { hasText: 'Synthetic Legal Clinic' }).click();
    await page.locator('h2', { hasText: 'Synthetic Legal Clinic' }).waitFor();
    await expectAccessible(page);
    await page.locator('button', { hasText: 'Admit this agency' }).click();
    await page.locator('.form-problem[role="alert"]').waitFor(); // two core members are active: bootstrap is closed
    await page.locator('button', { hasText: 'Endorse' }).click();
    const endorse = page.locator('section[aria-label="Endorse the application"]');
    await page.locator('main:not([aria-busy="true"])').waitFor();
    expect(await endorse.locator('.form-problem:not([hidden])').count()).toBe(0);

    await visit(page, `#/admin/staff?agency=${app.network.secretariat}`, 'Staff');
    const add = page.locator('form[aria-label="Add a staff member"]');
    await add.locator('input[name="displayName"]').fill('Nia Synthetic');
    await add.locator('input[name="email"]').fill('nia@example.org');
    await add.locator('input[name="userId"]').fill('nia-analyst');
    await add.locator('label', { hasText: 'Analyst' }).click();
    await add.locator('button[type="submit"]').click();
    await page.locator('h3', { hasText: 'Nia Synthetic' }).waitFor();
    await screenshot(page, 'admin-staff');

    await visit(page, '#/admin/motions', 'Motions and notices');
    await expect(page.locator('main').textContent()).resolves.toContain('No notices');
    await visit(page, '#/admin/services', 'Services');
    await expect(page.locator('main').textContent()).resolves.toContain('No services listed yet');
    await visit(page, '#/admin/services/new', 'List a new service');
    const service = page.locator('form');
    await service.locator('input[name="name"]').fill('Synthetic Night Shelter');
    await service.locator('label', { hasText: 'Shelter' }).first().click();
    await service.locator('input[name="regions"]').fill('on-toronto');
    await service.locator('input[name="address.street"]').fill('1 Synthetic Way');
    await service.locator('button[type="submit"]').click();
    // The API names the missing parts of the address next to their fields.
    await page.locator('[data-field="address.city"] .field-error:not([hidden])').waitFor();
    await service.locator('input[name="address.street"]').fill('');
    await service.locator('button[type="submit"]').click();
    await page.locator('h1', { hasText: 'Edit a service' }).waitFor();
    await page.locator('h2', { hasText: 'Synthetic Night Shelter' }).waitFor();
    await expectAccessible(page);
  });

  it('privacy officer: the access log, filtered; one survivor’s trail; flags, break-glass, integrity, role grants', async () => {
    jest.setTimeout(90_000);
    const page = await as('pia-officer');
    await eventually(async () => {
      await open(page, '#/privacy/access-log');
      expect(await page.locator('main').textContent()).toContain('sam-worker');
    });
    await expectAccessible(page);
    await screenshot(page, 'privacy-access-log');

    // Filter by a purpose nobody read for: the empty state says why; then by the survivor.
    await page.selectOption('select[name="purpose"]', 'statistics');
    await page.locator('button', { hasText: 'Apply the filters' }).click();
    await page.locator('p.empty', { hasText: 'No access matches these filters' }).waitFor();
    expect(new URL(page.url()).hash).toBe('#/privacy/access-log?purpose=statistics');
    await page.selectOption('select[name="purpose"]', 'care-coordination');
    await page.locator('input[name="survivorId"]').fill(survivorId);
    await page.locator('button', { hasText: 'Apply the filters' }).click();
    await page.locator('table', { hasText: 'Care coordination' }).waitFor();
    const rows = await page.locator('table tbody tr').allTextContents();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toContain('Care coordination');
    await expectAccessible(page);

    await visit(page, `#/privacy/survivors/${survivorId}`, 'One survivor’s trail');
    await expect(page.locator('main').textContent()).resolves.toContain('Synthetic Shelter North');
    await visit(page, '#/privacy/flags', 'Flags');
    await visit(page, '#/privacy/break-glass', 'Break-glass reviews');
    await expect(page.locator('main').textContent()).resolves.toContain('Nothing awaits review');
    await visit(page, '#/privacy/integrity', 'Integrity of the log');
    await page.locator('button', { hasText: 'Verify the whole log' }).click();
    await page.locator('.verdict.ok').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'privacy-integrity');
    await visit(page, '#/privacy/role-grants', 'Role grants');
    await expect(page.locator('table').textContent()).resolves.toContain('pia-officer');
  });

  it('analyst: a report with withheld cells marked and explained, the chart as an image, CSV, and the DP run with its budget', async () => {
    const page = await as('ana-analyst');
    await visit(page, '#/reports', 'Reports');
    await page.selectOption('select[name="report"]', 'referrals');
    await page.selectOption('select[name="rows"]', 'need');
    await page.locator('button', { hasText: 'Show the report' }).click();
    await page.locator('table caption').first().waitFor();
    // Few referrals: every cell is below k, and says so in words.
    const withheld = page.locator('td .suppressed');
    expect(await withheld.count()).toBeGreaterThan(0);
    await expect(withheld.first().textContent()).resolves.toContain('withheld');
    await expect(page.locator('.suppression-note').textContent()).resolves.toMatch(/hides a count below \d+.*not zero/);
    // The chart is the server's SVG as an <img>, loaded (never markup in the page).
    const chart = page.locator('img.chart');
    expect(await chart.getAttribute('src')).toMatch(/^\/v1\/reports\/referrals\?.*format=svg/);
    await eventually(async () =>
      expect(
        await chart.evaluate(
          (img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth > 0,
        ),
      ).toBe(true),
    );
    expect(await page.locator('main svg').count()).toBe(0);
    const csv = page.locator('a', { hasText: 'Download the table (CSV)' });
    expect(await csv.getAttribute('href')).toMatch(/format=csv/);
    const download = await page.context().request.get(`${app.origin}${await csv.getAttribute('href')}`);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-type']).toMatch(/text\/csv/);
    await expectAccessible(page);
    await screenshot(page, 'analyst-report');

    const before = await page.locator('#dp-budget').textContent();
    await page.locator('button', { hasText: 'Run with differential privacy' }).click();
    await page.locator('.suppression-note', { hasText: 'random noise' }).waitFor();
    await page.locator('#dp-budget', { hasText: '0.1 spent' }).waitFor();
    expect(await page.locator('#dp-budget').textContent()).not.toBe(before);
    await expectAccessible(page);
  });
});
