import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI, exactly as operators run it (`npm run harbour`); build first (npm test does). */
export const CLI = fileURLToPath(new URL('../../dist/apps/cli/src/main.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The parent's environment without anything that configures Harbour. */
export const cleanEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(DATABASE_URL|HARBOUR_(?!TEST_)|PORT$|HOST$|LOG_LEVEL$)/.test(key),
    ),
  );

/** Run the built CLI with only `env` configuring it; resolves with its exit code and output. */
export function harbour(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...cleanEnv(), ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
