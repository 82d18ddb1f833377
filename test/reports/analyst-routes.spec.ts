import { RequestMethod, VERSION_NEUTRAL } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, VERSION_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import { IS_PUBLIC } from '@harbour/auth';
import { startReportsWorld, type ReportsWorld } from './scenario.js';

interface Route {
  method: string;
  path: string;
  open: boolean;
}

const METHODS = ['get', 'post', 'put', 'delete', 'patch', 'all', 'options', 'head', 'search'];

/**
 * Nest's own route table: every controller of every module and each handler's method, path and
 * version — so routes other contexts add later are walked too.
 */
function routeTable(w: ReportsWorld): Route[] {
  const modules = w.t.app.get(ModulesContainer);
  const routes: Route[] = [];
  for (const module of modules.values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const base = [Reflect.getMetadata(PATH_METADATA, controller) ?? ''].flat()[0] as string;
      const classVersion = Reflect.getMetadata(VERSION_METADATA, controller);
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler);
        if (path === undefined) continue;
        const version = Reflect.getMetadata(VERSION_METADATA, handler) ?? classVersion ?? '1';
        const prefix = version === VERSION_NEUTRAL ? '' : `/v${version}`;
        const full = `${prefix}/${base}/${[path].flat()[0]}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
        const open = Reflect.getMetadata(IS_PUBLIC, handler) ?? Reflect.getMetadata(IS_PUBLIC, controller) ?? false;
        routes.push({
          method: METHODS[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod],
          path: full,
          open,
        });
      }
    }
  }
  return routes;
}

const PUBLIC = [/^\/health/, /^\/docs/];
const REPORTS = /^\/v1\/reports(\/|$)/;

describe('analysts reach aggregate reports and nothing else', () => {
  let w: ReportsWorld;
  let analyst: string;

  beforeAll(async () => {
    w = await startReportsWorld();
    await w.addStaff('ana-analyst', ['analyst']);
    analyst = await w.token('ana-analyst');
  });
  afterAll(() => w.t.close());

  it('answers 403 on every route outside /v1/reports, and never 403 inside it', async () => {
    const routes = routeTable(w);
    expect(routes.length).toBeGreaterThan(30);
    const fill = (path: string) =>
      path.replace(/:([A-Za-z]+)/g, (_, name: string) =>
        name === 'report' ? 'referrals' : '00000000-0000-4000-8000-000000000000',
      );
    // Public routes (health, the notary's public key) answer anyone, token or not.
    const outside = routes.filter((r) => !REPORTS.test(r.path) && !r.open && !PUBLIC.some((p) => p.test(r.path)));
    expect(outside.map((r) => r.path)).toEqual(
      expect.arrayContaining(['/v1/intakes/:survivorId', '/v1/me', '/v1/anonymous-notices']),
    );
    for (const route of outside) {
      const res = await (w.http as unknown as Record<string, (p: string) => import('supertest').Test>)
        [route.method](fill(route.path))
        .set('Authorization', analyst)
        .send({});
      expect({ route: `${route.method} ${route.path}`, status: res.status, code: res.body.code }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 403,
        code: 'analyst-reports-only',
      });
    }
    const inside = routes.filter((r) => REPORTS.test(r.path));
    expect(inside.length).toBeGreaterThanOrEqual(4);
    for (const route of inside) {
      const res = await (w.http as unknown as Record<string, (p: string) => import('supertest').Test>)
        [route.method](fill(route.path))
        .set('Authorization', analyst)
        .send({ measure: 'requested', from: '2026-01', to: '2026-01', epsilon: 0.01 })
        .query(route.method === 'get' ? { measure: 'requested', from: '2026-01', to: '2026-01' } : {});
      expect({ route: route.path, status: res.status }).toEqual({ route: route.path, status: 200 });
    }
    // Public routes carry no person data and answer the same without any token.
    for (const route of routes.filter((r) => PUBLIC.some((p) => p.test(r.path)) && r.method === 'get')) {
      const res = await w.http.get(fill(route.path));
      expect(res.status).not.toBe(401);
    }
  });

  it('refuses reports to staff without the analyst role', async () => {
    await w.addStaff('cam-caseworker', ['caseworker']);
    const res = await w.http
      .get('/v1/reports/referrals?measure=requested&from=2026-01&to=2026-01')
      .set('Authorization', await w.token('cam-caseworker'));
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('missing-role');
  });
});
