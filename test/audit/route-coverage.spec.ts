import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { EXPOSURE, type Exposure } from '@harbour/auth';
import { EventStore } from '@harbour/event-store';
import { eventually } from '../support/store-context.js';
import { type Network, startNetwork } from './network-fixture.js';

interface Route {
  key: string;
  exposure: Exposure | undefined;
}

/** Every route of the full application, as Nest registered it, with its declared exposure. */
function routeTable(n: Network): Route[] {
  const routes: Route[] = [];
  const seen = new Set<unknown>();
  for (const module of n.t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller || seen.has(controller)) continue;
      seen.add(controller);
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '').replace(/^\/|\/$/g, '');
      const proto = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (name === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        const path = String(Reflect.getMetadata(PATH_METADATA, handler) ?? '').replace(/^\/|\/$/g, '');
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const version = base === 'health' ? '' : '/v1';
        routes.push({
          key: `${method} ${version}/${[base, path].filter(Boolean).join('/')}`,
          exposure: Reflect.getMetadata(EXPOSURE, handler) ?? Reflect.getMetadata(EXPOSURE, controller),
        });
      }
    }
  }
  return routes.sort((a, b) => a.key.localeCompare(b.key));
}

/**
 * How to call each route that exposes something about survivors, and whose trail it must leave
 * an event in. A new exposing route fails the test until it is added here (and so is exercised).
 */
type Recipe = (n: Network, s: string) => Promise<{ status: number }>;
const as = async (n: Network, userId: string, path: string) => n.http.get(path).set('Authorization', await n.auth(userId));
const RECIPES: Record<string, { event: 'SurvivorDataAccessed' | 'AccessLogViewed'; call: Recipe }> = {
  'GET /v1/intakes/:survivorId': { event: 'SurvivorDataAccessed', call: (n, s) => as(n, 'ana-worker', `/v1/intakes/${s}?purpose=care-coordination`) },
  'GET /v1/audit/access-events': { event: 'AccessLogViewed', call: (n, s) => as(n, 'pat-privacy', `/v1/audit/access-events?survivorId=${s}`) },
  'GET /v1/audit/access-events/fhir': { event: 'AccessLogViewed', call: (n, s) => as(n, 'pat-privacy', `/v1/audit/access-events/fhir?survivorId=${s}`) },
  'GET /v1/audit/survivors/:survivorId/disclosures': { event: 'AccessLogViewed', call: (n, s) => as(n, 'ana-worker', `/v1/audit/survivors/${s}/disclosures`) },
  'GET /v1/audit/break-glass': { event: 'AccessLogViewed', call: (n) => as(n, 'lia-privacy', '/v1/audit/break-glass?status=all') },
  'GET /v1/audit/flags': { event: 'AccessLogViewed', call: (n) => as(n, 'lia-privacy', '/v1/audit/flags?status=all') },
};

describe('route coverage: every route says what it exposes, and exposing routes leave access events', () => {
  let n: Network;
  let survivor: string;
  beforeAll(async () => {
    n = await startNetwork();
    survivor = await n.intake('ana-worker');
    // Something for the break-glass queue and the flag list to show: an emergency access to the survivor.
    await n.http.post(`/v1/audit/survivors/${survivor}/break-glass`).set('Authorization', await n.auth('leo-super'))
      .send({ justification: 'Survivor missing since last night; need the safety plan to brief the outreach team.' }).expect(201);
  });
  afterAll(() => n.t.close());

  it('classifies every route of the application (survivor-data, access-log or none)', () => {
    const routes = routeTable(n);
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.filter((r) => r.exposure === undefined).map((r) => r.key)).toEqual([]);
    expect(routes.filter((r) => !['survivor-data', 'access-log', 'none'].includes(r.exposure!)).map((r) => r.key)).toEqual([]);
  });

  it('knows how to call every exposing route, and nothing else', () => {
    const exposing = routeTable(n).filter((r) => r.exposure !== 'none').map((r) => r.key);
    expect(exposing).toEqual(Object.keys(RECIPES).sort());
    for (const r of routeTable(n).filter((r) => r.exposure !== 'none')) {
      expect({ route: r.key, event: RECIPES[r.key]!.event }).toEqual({ route: r.key, event: r.exposure === 'survivor-data' ? 'SurvivorDataAccessed' : 'AccessLogViewed' });
    }
  });

  it.each(Object.entries(RECIPES))('%s leaves an access event for the survivor it exposed', async (route, recipe) => {
    const store = n.t.app.get(EventStore);
    const events = async () => (await store.readStream(`access-${survivor}`)).filter((e) => e.type === recipe.event && (e.data as { route: string }).route === route);
    const before = (await events()).length;
    // List routes show what the read model holds: wait until it holds the emergency access.
    await eventually(async () => {
      const res = await recipe.call(n, survivor);
      expect(res.status).toBe(200);
      expect((await events()).length).toBeGreaterThan(before);
    });
  });
});
