import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@harbour/kernel';
import { startDatabaseIfEmbedded } from '../../api/src/embedded-database.js';
import { CliModule } from './cli.module.js';

/** A command gets the booted context and returns the process exit code. */
export type CliCommand = (app: INestApplicationContext) => Promise<number>;

/**
 * Boot Harbour without HTTP (migrations run during boot), run one command, then always close
 * the context and stop the embedded server: the exit code is only decided after cleanup.
 */
export async function withHarbour(command: CliCommand): Promise<number> {
  // The CLI is a short-lived tool: it must never start consuming the log as a projection host.
  const config = loadConfig({ ...process.env, HARBOUR_PROJECTIONS: 'false' });
  const embedded = await startDatabaseIfEmbedded(config, (line) => console.error(line));
  try {
    // abortOnError: false, else Nest calls process.abort() on a boot error and skips cleanup.
    const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: ['error'], abortOnError: false });
    try {
      return await command(app);
    } finally {
      await app.close();
    }
  } finally {
    await embedded?.stop();
  }
}

/** JSON on stdout, so the output can be piped to jq or kept as a record. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
