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

/** Synthetic values: the preferred name must never reach the shelter, the police or the browser's storage. */
const NAME = 'Rosa Synthetic-Story';
const NOTE = 'Safe bed needed before Friday';

/**
 * The whole story of issue 17 through the console, in a real browser: caseworker A (ana, a care
 * centre) opens an intake and records a consent for the shelter; refers the survivor; B (tom, the
 * shelter) sees only the notice, accepts, and reads only the consented sections; A revokes; B's next
 * page shows the access ended; the privacy officer finds B's reads in the log; the analyst sees a
 * report with suppressed cells. And the negative: another agency's worker (pete, police) opening
 * the record's page is refused exactly as the API refuses him.
 */
describe('console: the whole story', () => {
  let app: ConsoleApp;
  let browser: Browser;
  let ids: CaseworkerNetwork;
  let ana: Page;
  let tom: Page;
  let pete: Page;
  let cpo: Page;
  const errors: string[] = [];
  let survivorId: string;
  let referralId: string;
  const text = async (page: Page) => (await page.locator('main').textContent()) ?? '';

  beforeAll(async () => {
    [app, browser] = await Promise.all([startConsole({ env: { HARBOUR_REPORT_K: '3' } }), launchBrowser()]);
    const pages = await Promise.all([1, 2, 3, 4].map(() => newPage(browser)));
    [ana, tom, pete, cpo] = pages.map((p) => p.page);
    for (const p of pages) p.page.on('pageerror', (e) => errors.push(e.message));
    // The network admin admits the agencies and their admins add staff through the API
    // (test/support/network.ts). The console's admin screens are console-oversight's, tested in
    // its spec; driving them here timed out after the last merge (see the branch report).
    ids = await seedCaseworkerNetwork(app);
    await app.network.staff(app.network.secretariat, 'ann-analyst', ['analyst']);
    await signIn(ana, app, 'ana');
    await signIn(tom, app, 'tom');
    await signIn(pete, app, 'pete');
    await signIn(cpo, app, 'cpo');
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  afterEach(() => expect(errors).toEqual([]));

  it('A opens an intake, writes it and records a consent for the shelter after the read-back', async () => {
    await openScreen(ana, app, '#/intakes/new');
    await ana.getByRole('button', { name: 'Open a new intake' }).click();
    await ana.waitForURL(/sections\/identity$/);
    await settled(ana);
    survivorId = await idInHash(ana, 'intakes');
    await ana.getByLabel(/Preferred name/).fill(NAME);
    await ana.getByRole('button', { name: 'Save and go to the next section' }).click();
    await ana.waitForURL(/sections\/contact$/);
    await openScreen(ana, app, `#/intakes/${survivorId}/sections/housing`);
    await ana.getByLabel(/Housing situation/).selectOption('shelter');
    await ana.getByRole('button', { name: 'Save and go to the next section' }).click();
    await ana.waitForURL(/sections\/needs$/);
    await settled(ana);
    await ana.getByLabel('shelter', { exact: true }).check();
    await ana.getByRole('button', { name: 'Save and go to the next section' }).click();
    await ana.waitForURL(/sections\/preferences$/);
    await settled(ana);
    await ana.getByRole('button', { name: 'Save and go to the next section' }).click();
    await ana.waitForURL(/sections\/story$/);

    await openScreen(ana, app, `#/records/${survivorId}/consent`);
    await ana.locator('[data-field="recipient.agencyId"] select').selectOption(ids.shelter);
    for (const section of ['Housing', 'Needs', 'Preferences']) await ana.getByLabel(section, { exact: true }).check();
    for (const purpose of ['referral', 'statistics']) await ana.getByLabel(purpose, { exact: true }).check();
    await ana.getByRole('button', { name: 'Continue to the read-back' }).click();
    expect(await ana.locator('.read-back-text').textContent()).toContain(
      'Synthetic Shelter may see these parts of your record: Housing, Needs, Preferences; only for: referral, statistics',
    );
    await ana.getByRole('button', { name: 'The survivor agrees: save the consent' }).click();
    await ana.locator('table', { hasText: 'Synthetic Shelter' }).waitFor();
    await settled(ana);
    await expectAccessible(ana);
    await screenshot(ana, 'story-consent');
  });

  it('A refers the survivor to the shelter', async () => {
    await openScreen(ana, app, `#/records/${survivorId}/referral`);
    await ana.getByLabel('Note').fill(NOTE);
    await ana.getByLabel('Region').fill('on-toronto');
    await ana.getByRole('button', { name: 'Send the referral' }).click();
    await ana.waitForURL(/#\/referrals\/[0-9a-f-]{36}$/);
    referralId = await idInHash(ana, 'referrals');
    await settled(ana);
    await expectAccessible(ana);
    await screenshot(ana, 'story-referral-sent');
  });

  it('B sees only the notice, acknowledges and accepts', async () => {
    await openScreen(tom, app, '#/inbox');
    await expectAccessible(tom);
    await screenshot(tom, 'story-inbox');
    await tom.getByRole('link', { name: referralId.slice(0, 8) }).click();
    await tom.locator('.state').waitFor();
    await settled(tom);
    const notice = await text(tom);
    expect(notice).toContain('Before acceptance, this notice is all your agency may see.');
    expect(notice).toContain('shelter');
    for (const hidden of [NOTE, NAME, survivorId.slice(0, 8)]) expect(notice).not.toContain(hidden);
    await tom.getByRole('button', { name: 'Acknowledge' }).click();
    await tom.locator('.state', { hasText: 'acknowledged' }).waitFor();
    await settled(tom);
    await tom.getByRole('button', { name: 'Accept' }).click();
    await tom.locator('.state', { hasText: 'accepted' }).waitFor();
    await settled(tom);
    expect(await text(tom)).toContain(NOTE);
    await expectAccessible(tom);
    await screenshot(tom, 'story-accepted');
  });

  it('B’s worker reads only the consented sections', async () => {
    await tom.getByRole('link', { name: survivorId.slice(0, 8) }).click();
    await tom.locator('[data-section]').first().waitFor();
    await settled(tom);
    const shown = await tom
      .locator('.record-section:not(.withheld)')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-section')));
    expect(shown.sort()).toEqual(['housing', 'needs', 'preferences']);
    expect(await tom.locator('[data-section="identity"]').textContent()).toBe('IdentityWithheld: not consented');
    expect(await text(tom)).not.toContain(NAME);
    expect(await browserStorage(tom)).toEqual({});
    await expectAccessible(tom);
    await screenshot(tom, 'story-record-consented-sections');
  });

  it('A revokes the consent; B’s next page shows the access ended', async () => {
    await openScreen(ana, app, `#/records/${survivorId}/consent`);
    await ana.getByRole('button', { name: 'Revoke' }).click();
    await expect(text(ana)).resolves.toContain('Revoke the consent to Synthetic Shelter?');
    await expectAccessible(ana);
    await ana.getByRole('button', { name: 'Yes, revoke this consent' }).click();
    await ana.locator('td', { hasText: 'revoked' }).waitFor();
    await settled(ana);

    await tom.reload();
    await tom.locator('.refused').waitFor();
    const after = await text(tom);
    expect(after).toContain('Access refused');
    expect(after).toContain('Needs: Withheld: consent revoked');
    expect(after).toContain('Identity: Withheld: not consented');
    expect(await tom.locator('.record-section').count()).toBe(0);
    await expectAccessible(tom);
    await screenshot(tom, 'story-access-ended');
  });

  it('another agency’s worker opening the record’s page is refused as the API refuses him', async () => {
    const api = await app.network.http
      .get(`/v1/intakes/${survivorId}?purpose=care-coordination`)
      .set('Authorization', await app.network.auth('pete'));
    // Outside the care team and every consent, the API does not even confirm the record exists.
    expect(api.status).toBe(404);
    expect(api.body.code).toBe('intake-not-found');
    await openScreen(pete, app, `#/records/${survivorId}`);
    await pete.locator('main [role="alert"]').first().waitFor();
    const page = await text(pete);
    expect(page).toContain(api.body.detail as string);
    expect(await pete.locator('.record-section').count()).toBe(0);
    expect(page).not.toContain(NAME);
    await expectAccessible(pete);
  });

  it('the privacy officer finds B’s reads in the access log', async () => {
    await openScreen(cpo, app, `#/privacy/survivors/${survivorId}`);
    const trail = (await cpo.locator('main').textContent()) ?? '';
    expect(trail).toContain('Synthetic Shelter');
    const tomRows = cpo.locator('table tbody tr', { hasText: 'tom' });
    expect(await tomRows.count()).toBeGreaterThan(0);
    expect(trail).not.toContain(NAME);
    await expectAccessible(cpo);
    await screenshot(cpo, 'story-privacy-trail');
  });

  it('the analyst sees a report whose small cells are suppressed', async () => {
    const analyst = (await newPage(browser)).page;
    await signIn(analyst, app, 'ann-analyst');
    await openScreen(analyst, app, '#/reports');
    await analyst.selectOption('select[name="report"]', 'referrals');
    await analyst.selectOption('select[name="rows"]', 'need');
    await analyst.locator('button', { hasText: 'Show the report' }).click();
    await analyst.locator('table caption').first().waitFor();
    expect(await analyst.locator('td .suppressed').count()).toBeGreaterThan(0);
    await expectAccessible(analyst);
    await screenshot(analyst, 'story-analyst-report');
  });
});
