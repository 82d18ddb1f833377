import 'reflect-metadata';
import { ConfigError, loadConfig } from '@harbour/kernel';

// The configuration is checked before the rest of Harbour loads, so a bad variable is named
// (and the process exits 1) in about a second, with nothing started.
async function main(): Promise<void> {
  const config = loadConfig();
  const { serve } = await import('./serve.js');
  await serve(config);
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(`Harbour did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
});
