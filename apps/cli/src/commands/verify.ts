import { IntegrityService } from '@harbour/event-store';
import { type CliCommand, printJson } from '../run.js';

/** Exit code for a damaged log: distinct from 1 (the tool itself failed) for scripts and cron. */
export const INTEGRITY_FAILED = 2;

export const verify: CliCommand = async (app) => {
  const report = await app.get(IntegrityService).verify();
  printJson(report);
  if (report.ok) return 0;
  const bad = report.firstBad!;
  console.error(
    `Event log integrity check failed: first bad event at global position ${bad.globalPosition} ` +
      `(stream ${bad.streamId}, version ${bad.streamVersion}): ${bad.problem} (${bad.explanation})`,
  );
  return INTEGRITY_FAILED;
};
