import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Runs `workers` concurrent loops of `op` (each call returns the units it did; nothing counts
 * as one), discards the warm-up, and returns units per second over the measured window. The
 * first failure stops every loop and is rethrown once they have all ended.
 */
export async function measure(
  workers: number,
  op: (worker: number) => Promise<number | void>,
  window: { seconds: number; warmupMs: number },
): Promise<number> {
  let counting = false;
  let stop = false;
  let units = 0;
  let failure: Error | undefined;
  const loop = async (worker: number) => {
    try {
      while (!stop) {
        const n = await op(worker);
        if (counting) units += n ?? 1;
      }
    } catch (error) {
      failure ??= error instanceof Error ? error : new Error(String(error));
      stop = true;
    }
  };
  const loops = Array.from({ length: workers }, (_, w) => loop(w));
  await sleep(window.warmupMs);
  counting = true;
  const started = performance.now();
  await sleep(window.seconds * 1_000);
  counting = false;
  const elapsed = (performance.now() - started) / 1_000;
  stop = true;
  await Promise.all(loops);
  if (failure) throw failure;
  return units / elapsed;
}

/** Try `attempt` every 50 ms until it succeeds or `timeoutMs` has passed (a server still starting). */
export async function retry<T>(what: string, attempt: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what}: ${(error as Error).message}`);
      await sleep(50);
    }
  }
}
