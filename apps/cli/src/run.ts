import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { resolveNotaryKey } from '@harbour/audit';
import { startDatabaseIfEmbedded } from '@harbour/database';
import { loadConfig } from '@harbour/kernel';
import { resolveMasterKey } from '@harbour/privacy';
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
  // Before the embedded database fills in DATABASE_URL: local mode may generate the master key.
  await resolveMasterKey(config, config.HARBOUR_DATA_DIR, (line) => console.error(line));
  if (!config.DATABASE_URL) await resolveNotaryKey(config, (line) => console.error(line));
  const embedded = await startDatabaseIfEmbedded(config, (line) => console.error(line));
  try {
    // abortOnError: false, else Nest calls process.abort() on a boot error and skips cleanup.
    const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), {
      logger: ['error'],
      abortOnError: false,
    });
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

/**
 * Hold Ctrl-C and SIGTERM off while `work` runs (a few appends): a command that must finish
 * whole should not stop halfway. The signal is noted and the process exits normally after.
 */
export async function uninterrupted<T>(work: () => Promise<T>): Promise<T> {
  const hold = () => console.error('harbour: finishing what was started first; it takes a moment');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, hold);
  try {
    return await work();
  } finally {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.off(signal, hold);
  }
}
