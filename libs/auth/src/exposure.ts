import { SetMetadata } from '@nestjs/common';

export const EXPOSURE = 'harbour:audit:exposure';

/**
 * What a route can show about survivors, declared next to the route so the route-coverage test
 * (test/audit/route-coverage.spec.ts) can hold every route to it:
 * - `survivor-data`: returns survivor data; every request must leave a SurvivorDataAccessed
 *   event per survivor exposed (lists and exports: one per survivor).
 * - `access-log`: returns access metadata about survivors; every request must leave an
 *   AccessLogViewed event per survivor whose trail it showed.
 * - `none`: returns nothing about any survivor (agencies, staff, directory, writes that answer
 *   with ids only, health).
 * A route without a classification fails that test: new routes must say what they expose.
 */
export type Exposure = 'survivor-data' | 'access-log' | 'none';

/** Declare what this route (or every route of this controller) exposes about survivors. */
export const Exposes = (exposure: Exposure) => SetMetadata(EXPOSURE, exposure);
