import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { EXPOSURE, type Exposure } from '@harbour/auth';
import type { TestApp } from './context.js';

export interface Route {
  /** `GET /v1/intakes/:survivorId`, as Nest registered it. */
  key: string;
  exposure: Exposure | undefined;
}

/** Every route of the full application, as Nest registered it, with its declared exposure. */
export function routeTable(t: TestApp): Route[] {
  const routes: Route[] = [];
  const seen = new Set<unknown>();
  for (const module of t.app.get(ModulesContainer).values()) {
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

/** Routes that name a survivor or a referral in their path. */
export const namesSubject = (r: Route) => /:survivorId\b|:referralId\b/.test(r.key);
