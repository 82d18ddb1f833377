import 'reflect-metadata';
import { Command } from 'commander';
import { ConfigError } from '@harbour/kernel';
import { bootstrap, type BootstrapOptions } from './commands/bootstrap.js';
import { directoryExport } from './commands/directory-export.js';
import { directoryImport } from './commands/directory-import.js';
import { keysRotateMaster, keysRotateNotary, type RotateNotaryOptions } from './commands/keys.js';
import { type ExportOptions, type ImportOptions, logExport, logImport } from './commands/log.js';
import { migrate } from './commands/migrate.js';
import { projectionsRebuild, projectionsStatus } from './commands/projections.js';
import { retentionDryRun, retentionRun } from './commands/retention.js';
import { token } from './commands/token.js';
import { notaryPublicKey, notarySeal, verify, type VerifyOptions } from './commands/verify.js';
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
  .description(
    'recompute the hash chains and the signed checkpoints; exit 2 if an event or checkpoint was altered or removed',
  )
  .option(
    '--public-key <file>',
    "PEM file of the notary's public key to check checkpoints against (default: this deployment's key)",
  )
  .option('--anchor <file>', 'a checkpoint kept outside (JSON): verify fails if the log no longer holds it')
  .action((options: VerifyOptions) => run(verify(options))());
const notary = program.command('notary').description('the integrity notary that signs checkpoints of the log');
notary
  .command('public-key')
  .description("print the notary's Ed25519 public key (PEM and JWK)")
  .action(run(notaryPublicKey));
notary.command('seal').description('sign a checkpoint over every event not yet covered, now').action(run(notarySeal));
const keys = program.command('keys').description('rotate the master key and the notary key');
keys
  .command('rotate-master')
  .description(
    'after HARBOUR_MASTER_KEY was changed (old key in HARBOUR_MASTER_KEYS_RETIRED): re-wrap every data key and re-seal every webhook secret under it; exit 3 if some could not be opened',
  )
  .action(run(keysRotateMaster));
keys
  .command('rotate-notary')
  .description('hand the notary over to a new Ed25519 key with a checkpoint signed by both keys')
  .option('--new-key <file>', 'the new private key (PKCS#8 PEM or DER in base64); required unless the key is local')
  .action((options: RotateNotaryOptions) => run(keysRotateNotary(options))());
const log = program.command('log').description('the whole event log as a portable, verifiable archive (NDJSON)');
log
  .command('export')
  .argument('<file>', 'where to write the archive')
  .option('--no-seal', 'do not sign a checkpoint over the events not yet covered first')
  .description('write every event, its hash-chain fields and the signed checkpoints (no data keys)')
  .action((file: string, options: ExportOptions) => run(logExport(file, options))());
log
  .command('import')
  .argument('<file>', 'an archive written by harbour log export')
  .option('--public-key <file>', "PEM file of the notary's public key (default: this deployment's key)")
  .description(
    'load an archive into an empty database, verifying chains and checkpoints before committing (exit 2 naming the first bad event), then rebuild every projection',
  )
  .action((file: string, options: ImportOptions) => run(logImport(file, options))());
const projections = program.command('projections').description('inspect and rebuild read models');
projections.command('status').description('checkpoint and lag of every projection').action(run(projectionsStatus));
projections
  .command('rebuild')
  .argument('<name>', 'projection name')
  .description('wipe one read model and replay the whole log into it')
  .action((name: string) => run(projectionsRebuild(name))());
const retention = program.command('retention').description('per-section retention (HARBOUR_RETENTION)');
retention
  .command('dry-run')
  .description('list the sections the retention job would erase (ids, sections, dates; never content)')
  .option('--at <instant>', 'list what is due at this ISO 8601 instant (default: now)')
  .action((options: { at?: string }) => run(retentionDryRun(options.at))());
retention.command('run').description('run the retention job once now').action(run(retentionRun));
program
  .command('token')
  .description('mint a short-lived development token for a staff member (only with HARBOUR_DEV_KEYS on)')
  .requiredOption('--user <id>', 'staff user id')
  .option('--ttl <seconds>', 'lifetime in seconds, at most 3600 (default 900)')
  .action(async (options: { user: string; ttl?: string }) => {
    exitCode = await token(options);
  });
program
  .command('bootstrap')
  .description("create a new network's first agency (active, core) and its first network admin; once")
  .requiredOption('--agency-name <name>', 'name of the first agency')
  .requiredOption('--sector <sector>', 'its sector (e.g. victim-services, shelter, other)')
  .requiredOption('--regions <r1,r2>', 'region codes it serves, comma-separated')
  .requiredOption('--contact-name <name>', "the agency's contact person")
  .requiredOption('--contact-email <email>', "the agency's contact email")
  .requiredOption('--admin-name <name>', 'display name of the network admin')
  .requiredOption('--admin-email <email>', 'email of the network admin')
  .option('--admin-user <subject>', "the admin's subject at your identity provider (default: a new id)")
  .action(async (options: BootstrapOptions) => {
    exitCode = await bootstrap(options);
  });
const directory = program.command('directory').description('the service directory as Open Referral HSDS 3.0 documents');
directory
  .command('import')
  .argument('<file>', 'an HSDS 3.0 organization document (JSON) with its services')
  .requiredOption('--agency <agencyId>', 'the active agency that lists the services')
  .description('list the services of an HSDS organization document for one agency; re-importing lists nothing twice')
  .action(async (file: string, options: { agency: string }) => {
    exitCode = await directoryImport(file, options);
  });
directory
  .command('export')
  .requiredOption('--agency <agencyId>', 'the agency to export')
  .option('--out <file>', 'write the document here instead of stdout')
  .description(
    "write an agency's listed services as an HSDS 3.0 organization document (confidential addresses never included)",
  )
  .action(async (options: { agency: string; out?: string }) => {
    exitCode = await directoryExport(options);
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
