import { RetentionService } from '@harbour/intake';
import { type CliCommand, printJson, uninterrupted } from '../run.js';

/**
 * What the retention job would erase at an instant (default now): survivor ids, sections and
 * dates only, never content. Reads `intake_retention`, kept by the API's projections.
 */
export const retentionDryRun =
  (at?: string): CliCommand =>
  async (app) => {
    const when = at ? new Date(at) : new Date();
    if (Number.isNaN(when.getTime())) {
      console.error('--at must be an ISO 8601 instant, e.g. 2028-01-01T00:00:00Z');
      return 1;
    }
    const retention = app.get(RetentionService);
    const due = await retention.due({ at: when });
    printJson({ at: when.toISOString(), periods: Object.fromEntries(retention.periods), due });
    return 0;
  };

/** Run the retention job once now (each expiry is a SectionRetentionExpired + SectionErased event). */
export const retentionRun: CliCommand = async (app) => {
  const erased = await uninterrupted(() => app.get(RetentionService).runNow());
  printJson({ ok: true, sectionsErased: erased });
  return 0;
};
