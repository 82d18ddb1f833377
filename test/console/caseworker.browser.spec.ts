import type { Browser, Page } from 'playwright-core';
import {
  browserStorage,
  type ConsoleApp,
  expectAccessible,
  launchBrowser,
  newPage,
  screenshot,
  signIn,
  startConsole,
} from './support/index.js';
import { type CaseworkerNetwork, idInHash, openScreen, seedCaseworkerNetwork, settled } from './support/caseworker.js';

/** Synthetic values typed into the intake; none may reach the browser's storage or another agency's page. */
const NAME = 'Sam Synthetic-Example';

/**
 * The caseworker's screens in a real browser: caseload, a new intake section by section (with
 * field errors next to fields), consent with its read-back, exclusions, referral suggestions and
 * a referral, the inbox with only the actions each state allows, and the printable disclosure report.
 */
describe('console: caseworker screens', () => {
  let app: ConsoleApp;
  let browser: Browser;
  let ids: CaseworkerNetwork;
  let ana: Page;
  let tom: Page;
  const errors: string[] = [];
  let survivorId: string;
  let referralId: string;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startConsole(), launchBrowser()]);
    ids = await seedCaseworkerNetwork(app);
    const a = await newPage(browser);
    const b = await newPage(browser);
    [ana, tom] = [a.page, b.page];
    for (const p of [a, b]) p.page.on('pageerror', (e) => errors.push(e.message));
    await signIn(ana, app, 'ana');
    await signIn(tom, app, 'tom');
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  afterEach(() => expect(errors).toEqual([]));

  it('shows an empty caseload that explains itself', async () => {
    await openScreen(ana, app, '#/caseload');
    expect(await ana.locator('h1').textContent()).toBe('My caseload');
    await expect(ana.locator('main').textContent()).resolves.toContain('No survivors yet: survivors whose care team');
    await expect(ana.locator('main').textContent()).resolves.toContain('No open referrals from your agency');
    await expectAccessible(ana);
  });

  it('opens an intake and writes it section by section, with the API’s field errors next to the fields', async () => {
    await openScreen(ana, app, '#/intakes/new');
    await ana.getByRole('button', { name: 'Open a new intake' }).click();
    await ana.waitForURL(/#\/intakes\/[0-9a-f-]{36}\/sections\/identity$/);
    await settled(ana);
    survivorId = await idInHash(ana, 'intakes');

    // Saved empty: the API answers 400 naming content.preferredName; the console shows it under that field.
    await ana.getByRole('button', { name: 'Save and go to the next section' }).click();
    const error = ana.locator('[data-field="content.preferredName"] .field-error');
    await error.waitFor();
    expect(((await error.textContent()) ?? '').length).toBeGreaterThan(0);
    expect(await ana.getByLabel(/Preferred name/).getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(ana);
    await screenshot(ana, 'caseworker-intake-field-error');

    await ana.getByLabel(/Preferred name/).fill(NAME);
    await ana.getByLabel('Age band').selectOption('25-34');
    await ana.getByRole('button', { name: 'Save and go to the next section' }).click();
    await ana.waitForURL(/sections\/contact$/);
    await ana.getByRole('link', { name: 'Skip this section' }).click(); // contact
    await ana.waitForURL(/sections\/safety$/);
    await ana.getByRole('link', { name: 'Skip this section' }).click(); // safety
    await ana.waitForURL(/sections\/health$/);
    await ana.getByRole('link', { name: 'Skip this section' }).click(); // health
    await ana.waitForURL(/sections\/housing$/);
    await settled(ana);
    await ana.getByLabel(/Housing situation/).selectOption('unsafe');
    await ana.getByRole('button', { name: 'Save and go to the next section' }).click();
    await ana.waitForURL(/sections\/needs$/);
    await settled(ana);
    await ana.getByLabel('shelter', { exact: true }).check();
    await ana.getByLabel('Urgency of shelter').selectOption('high');
    await expectAccessible(ana);
    await screenshot(ana, 'caseworker-intake-needs');
    await ana.getByRole('button', { name: 'Save and go to the next section' }).click();
    await ana.waitForURL(/sections\/preferences$/);
    await settled(ana);
    expect(await ana.getByRole('textbox', { name: /^Language/ }).inputValue()).toBe('en');
    await ana.getByRole('button', { name: 'Save and go to the next section' }).click();
    await ana.waitForURL(/sections\/story$/);

    // The care team reads every written section.
    await openScreen(ana, app, `#/records/${survivorId}`);
    const main = (await ana.locator('main').textContent()) ?? '';
    expect(main).toContain(NAME);
    expect(main).toContain('unsafe');
    expect(await ana.locator('[data-section="needs"]').textContent()).toContain('shelter');
    await expectAccessible(ana);
    expect(await browserStorage(ana)).toEqual({});
  });

  it('records a consent only after reading back what the survivor agrees to, and an exclusion', async () => {
    await openScreen(ana, app, `#/records/${survivorId}/consent`);
    await expect(ana.locator('main').textContent()).resolves.toContain('No consent recorded yet');
    await ana.locator('[data-field="recipient.agencyId"] select').selectOption(ids.shelter);
    for (const section of ['Housing', 'Needs', 'Preferences']) await ana.getByLabel(section, { exact: true }).check();
    await ana.getByLabel('referral', { exact: true }).check();
    await ana.getByRole('button', { name: 'Continue to the read-back' }).click();
    const readBack = ana.locator('.read-back-text');
    expect(await readBack.textContent()).toBe(
      'You agree that Synthetic Shelter may see these parts of your record: Housing, Needs, Preferences; only for: referral; from today until 12 months from now. You gave this consent verbally, in en.',
    );
    await expectAccessible(ana);
    await screenshot(ana, 'caseworker-consent-read-back');
    await ana.getByRole('button', { name: 'The survivor agrees: save the consent' }).click();
    await ana.locator('table', { hasText: 'Synthetic Shelter' }).waitFor();
    await settled(ana);
    expect(await ana.locator('table', { hasText: 'Synthetic Shelter' }).textContent()).toContain('in force');

    // An exclusion of the police sector: the survivor's "never".
    await ana.getByLabel('a sector', { exact: true }).check();
    await ana.locator('[data-field="target.sector"] select').selectOption('law-enforcement');
    await ana.getByRole('button', { name: 'Save the exclusion' }).click();
    await ana.locator('table', { hasText: 'any agency of the law enforcement sector' }).waitFor();
    await settled(ana);
    await expectAccessible(ana);
  });

  it('suggests the shelter and makes a referral with the notice fields', async () => {
    await openScreen(ana, app, `#/records/${survivorId}/referral`);
    await expect(ana.locator('table').textContent()).resolves.toContain('Emergency beds');
    expect(await ana.getByLabel('Synthetic Shelter').isChecked()).toBe(true);
    await ana.getByLabel('Urgency', { exact: true }).selectOption('high');
    await ana.getByLabel('Note').fill('Bed needed this week');
    await ana.getByLabel('Region').fill('on-toronto');
    await expectAccessible(ana);
    await ana.getByRole('button', { name: 'Send the referral' }).click();
    await ana.waitForURL(/#\/referrals\/[0-9a-f-]{36}$/);
    await settled(ana);
    referralId = await idInHash(ana, 'referrals');
    await expect(ana.locator('.state').textContent()).resolves.toBe('requested');
    // The referring side sees its note; it may withdraw but not acknowledge (that is the receiver's).
    await expect(ana.locator('main').textContent()).resolves.toContain('Bed needed this week');
    expect(await ana.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    expect(await ana.getByRole('button', { name: 'Withdraw' }).count()).toBe(1);
    await openScreen(ana, app, '#/outbox');
    await expect(ana.locator('table').textContent()).resolves.toContain(referralId.slice(0, 8));
    await expectAccessible(ana);
  });

  it('shows the receiving agency the notice only, and only the actions each state allows', async () => {
    await openScreen(tom, app, '#/inbox');
    await tom.getByRole('link', { name: referralId.slice(0, 8) }).click();
    await tom.locator('.state').waitFor();
    await settled(tom);
    const before = (await tom.locator('main').textContent()) ?? '';
    expect(before).toContain('Before acceptance, this notice is all your agency may see.');
    expect(before).not.toContain('Bed needed this week');
    expect(before).not.toContain(survivorId.slice(0, 8));
    expect(before).not.toContain(NAME);
    const buttons = async () => tom.locator('main form button[type="submit"]').allTextContents();
    expect(await buttons()).toEqual(['Acknowledge', 'Withdraw']);
    await expectAccessible(tom);
    await screenshot(tom, 'caseworker-inbox-notice-only');

    await tom.getByRole('button', { name: 'Acknowledge' }).click();
    await tom.locator('.state', { hasText: 'acknowledged' }).waitFor();
    await settled(tom);
    expect(await buttons()).toEqual(['Accept', 'Decline', 'Withdraw']);
    await tom.getByRole('button', { name: 'Accept' }).click();
    await tom.locator('.state', { hasText: 'accepted' }).waitFor();
    await settled(tom);
    expect(await buttons()).toEqual(['Schedule the introduction', 'Withdraw']);
    await expect(tom.locator('main').textContent()).resolves.toContain('Bed needed this week');

    await tom.getByLabel('Date and time').fill('2027-01-15T10:30');
    await tom.getByRole('button', { name: 'Schedule the introduction' }).click();
    await tom.locator('.state', { hasText: 'introduction scheduled' }).waitFor();
    await settled(tom);
    expect(await buttons()).toEqual(['Schedule the introduction', 'Confirm the handoff', 'Withdraw']);
    await tom.getByRole('button', { name: 'Confirm the handoff' }).click();
    await settled(tom);

    await openScreen(ana, app, `#/referrals/${referralId}`);
    await ana.getByRole('button', { name: 'Confirm the handoff' }).click();
    await ana.locator('.state', { hasText: 'handoff completed' }).waitFor();
    await settled(ana);
    await ana.getByLabel('Outcome').selectOption('engaged');
    await ana.getByRole('button', { name: 'Close', exact: true }).click();
    await ana.locator('.state', { hasText: 'closed' }).waitFor();
    await settled(ana);
    await expect(ana.locator('main').textContent()).resolves.toContain('No action is open in this state');
    await expectAccessible(ana);
  });

  it('prints the disclosure report: who saw the record, when, and why', async () => {
    await openScreen(ana, app, `#/records/${survivorId}/disclosures`);
    const report = (await ana.locator('.disclosure-report').textContent()) ?? '';
    expect(report).toContain('Synthetic Care Centre');
    expect(report).toContain('Synthetic Shelter'); // tom's reads after acceptance are in it
    expect(await ana.getByRole('button', { name: 'Print' }).count()).toBe(1);
    await expectAccessible(ana);
    await screenshot(ana, 'caseworker-disclosure-report');
    await ana.emulateMedia({ media: 'print' });
    expect(await ana.locator('#nav').isVisible()).toBe(false);
    expect(await ana.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
    expect(await ana.locator('.disclosure-report').isVisible()).toBe(true);
    await ana.emulateMedia({ media: 'screen' });
  });

  it('lists the survivor on the caseload with what the caseworker may see', async () => {
    await openScreen(ana, app, '#/caseload');
    const row = ana.locator('tr', { hasText: survivorId.slice(0, 8) });
    await row.waitFor();
    expect(await row.textContent()).toContain('Identity');
    await expectAccessible(ana);
    await screenshot(ana, 'caseworker-caseload');
  });
});
