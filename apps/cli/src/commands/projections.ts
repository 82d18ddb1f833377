import { ProjectionRunner } from '@harbour/event-store';
import { type CliCommand, printJson } from '../run.js';

/**
 * Checkpoints and lag are shared by every process; `state` is this CLI process's view and so is
 * always "stopped" here (the CLI never runs projections), whatever the API is doing.
 */
export const projectionsStatus: CliCommand = async (app) => {
  printJson(await app.get(ProjectionRunner).status());
  return 0;
};

/** Wipe and replay one read model. A running API notices the moved checkpoint and follows it. */
export const projectionsRebuild =
  (name: string): CliCommand =>
  async (app) => {
    const runner = app.get(ProjectionRunner);
    if (!runner.names().includes(name)) {
      console.error(`Unknown projection "${name}". Known projections: ${runner.names().join(', ') || '(none)'}`);
      return 1;
    }
    await runner.rebuild(name);
    printJson((await runner.status()).find((s) => s.name === name));
    return 0;
  };
