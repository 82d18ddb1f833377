/**
 * A small synthetic network for the caseworker's browser tests, seeded through the API with
 * development tokens (test/support/network.ts): a care agency (ana, a caseworker; cpo, its privacy
 * officer), a shelter (tom, a caseworker) with a shelter service, and a police service (pete).
 * All names and values are synthetic.
 */
import type { Page } from 'playwright-core';
import type { ConsoleApp } from './index.js';
export { openScreen, settled } from './index.js';
import { eventually } from '../../support/store-context.js';

export interface CaseworkerNetwork {
  care: string;
  shelter: string;
  police: string;
}

/**
 * `admit` admits the care centre (default: by the API, as the network admin); the story does it
 * through the console's admin screen. `addAna` adds ana (default: by the API); the story has the
 * care centre's admin do it in the console.
 */
export async function seedCaseworkerNetwork(
  app: ConsoleApp,
  steps: { admit?: (care: string) => Promise<void>; addAna?: (care: string) => Promise<void> } = {},
): Promise<CaseworkerNetwork> {
  const net = app.network;
  const care = await net.apply('Synthetic Care Centre', 'victim-services');
  await (steps.admit ?? ((id: string) => net.admit(id)))(care);
  await net.staff(care, 'care-admin', ['agency-admin']);
  const shelter = await net.apply('Synthetic Shelter', 'shelter');
  const police = await net.apply('Synthetic Police Service', 'law-enforcement');
  for (const id of [shelter, police]) await net.endorse(id, ['admin', 'care-admin']);
  await net.staff(care, 'cpo', ['privacy-officer']);
  await net.staff(shelter, 'shelter-admin', ['agency-admin']);
  await net.staff(shelter, 'tom', ['caseworker']);
  await net.staff(police, 'pete', ['caseworker']);
  await net.http
    .post('/v1/services')
    .set('Authorization', await net.auth('shelter-admin'))
    .send({
      name: 'Emergency beds',
      description: 'synthetic',
      needs: ['shelter', 'housing'],
      languages: ['en', 'fr'],
      regions: ['on-toronto'],
      eligibility: { gender: 'any' },
      hours: [{ day: 'mo', opens: '09:00', closes: '17:00' }],
      acceptingReferrals: true,
      responseWindowHours: 24,
      addressConfidential: false,
    })
    .expect(201);
  await eventually(async () => {
    const res = await net.http
      .get('/v1/directory/services?pageSize=100')
      .set('Authorization', await net.auth('tom'))
      .expect(200);
    expect(res.body.total).toBe(1);
  });
  await (steps.addAna ?? ((id: string) => net.staff(id, 'ana', ['caseworker'])))(care);
  return { care, shelter, police };
}

/** The survivor id in the page's hash (`#/intakes/<id>/…`, `#/records/<id>…`). */
export async function idInHash(page: Page, prefix: string): Promise<string> {
  const hash = await page.evaluate<string>('location.hash');
  const match = new RegExp(`^#/${prefix}/([0-9a-f-]{36})`).exec(hash);
  if (!match) throw new Error(`no id in ${hash}`);
  return match[1];
}
