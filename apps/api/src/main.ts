import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { resolveNotaryKey } from '@harbour/audit';
import { authSource } from '@harbour/auth';
import { type RunningPostgres, startDatabaseIfEmbedded } from '@harbour/database';
import { ConfigError, loadConfig } from '@harbour/kernel';
import { resolveMasterKey } from '@harbour/privacy';
import { AppModule } from './app.module.js';
import { configureApp, httpAdapter } from './http/configure-app.js';

async function main(): Promise<void> {
  const config = loadConfig();
  authSource(config); // no token source → ConfigError naming the variables, before anything starts
  // The master key for survivor data: configured, or (fully local mode only) generated under the
  // data folder with a warning. Decided before the embedded database fills in DATABASE_URL.
  await resolveMasterKey(config, config.HARBOUR_DATA_DIR, (msg) => console.log(JSON.stringify({ level: 40, msg })));
  // Likewise the integrity notary's signing key (with a real database the notary asks for it at boot).
  if (!config.DATABASE_URL) await resolveNotaryKey(config, (msg) => console.log(JSON.stringify({ level: 40, msg })));
  let embedded: RunningPostgres | null = await startDatabaseIfEmbedded(config, console.log);
  const stopDatabase = async () => {
    await embedded?.stop();
    embedded = null;
  };
  try {
    const app = await configureApp(await NestFactory.create(AppModule.forRoot(config), httpAdapter(), { bufferLogs: true }));
    await app.listen(config.PORT, config.HOST);
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(JSON.stringify({ level: 30, msg: 'shutting down', signal }));
      await app.close();
      await stopDatabase();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
  } catch (error) {
    await stopDatabase();
    throw error;
  }
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(`Harbour did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
});
