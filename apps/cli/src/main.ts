import 'reflect-metadata';
import { Command } from 'commander';
import { ConfigError } from '@harbour/kernel';
import { migrate } from './commands/migrate.js';
import { projectionsRebuild, projectionsStatus } from './commands/projections.js';
import { token } from './commands/token.js';
import { verify } from './commands/verify.js';
import { type CliCommand, withHarbour } from './run.js';

// Operator tool: `npm run harbour -- <command>`. Same config and database as the API, no HTTP.
let exitCode = 0;
const run = (command: CliCommand) => async () => {
  exitCode = await withHarbour(command);
};

const program = new Command('harbour').description('Harbour operator commands').showHelpAfterError();
program.command('migrate').description('run pending database migrations').action(run(migrate));
program
  .command('verify')
  .description('recompute the event log hash chains; exit 2 if an event was altered or removed')
  .action(run(verify));
const projections = program.command('projections').description('inspect and rebuild read models');
projections.command('status').description('checkpoint and lag of every projection').action(run(projectionsStatus));
projections
  .command('rebuild')
  .argument('<name>', 'projection name')
  .description('wipe one read model and replay the whole log into it')
  .action((name: string) => run(projectionsRebuild(name))());
program
  .command('token')
  .description('mint a short-lived development token for a staff member (only with HARBOUR_DEV_KEYS on)')
  .requiredOption('--user <id>', 'staff user id')
  .option('--ttl <seconds>', 'lifetime in seconds, at most 3600 (default 900)')
  .action(async (options: { user: string; ttl?: string }) => {
    exitCode = await token(options);
  });

try {
  await program.parseAsync();
} catch (error) {
  exitCode = 1;
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(`harbour: ${error instanceof Error ? error.message : String(error)}`);
}

// Exit explicitly (a stray handle must not keep a cron job hanging), once output is flushed.
await Promise.all([process.stdout, process.stderr].map((s) => new Promise((done) => s.write('', done))));
process.exit(exitCode);
