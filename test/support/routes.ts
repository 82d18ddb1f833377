import { EXPOSURE, type Exposure } from '@harbour/auth';
import { routesOf } from '../../apps/api/src/http/openapi.js';
import type { TestApp } from './context.js';

export interface Route {
  /** `GET /v1/intakes/:survivorId`, as Nest registered it. */
  key: string;
  exposure: Exposure | undefined;
}

/** Every route of the full application (the same walk the OpenAPI builder makes), with its declared exposure. */
export function routeTable(t: TestApp): Route[] {
  return routesOf(t.app)
    .map((r) => ({
      key: `${r.method} ${r.path.replace(/\{(\w+)\}/g, ':$1')}`,
      exposure: Reflect.getMetadata(EXPOSURE, r.handler) ?? Reflect.getMetadata(EXPOSURE, r.controller),
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

/** Routes that name a survivor or a referral in their path. */
export const namesSubject = (r: Route) => /:survivorId\b|:referralId\b/.test(r.key);
