import type { EventStore, SubscribeOptions, Subscription } from './event-store.js';
import type { Signal } from './signal.js';

/**
 * Catch-up then live: reads batches after the checkpoint until none are left, then waits for
 * an in-process append signal or the poll interval (appends by other processes).
 * Stops for good when the handler throws, so a failing consumer never skips an event.
 */
export class PollingSubscription implements Subscription {
  checkpoint: bigint;
  running = true;
  private readonly finished: Promise<void>;

  constructor(
    private readonly store: EventStore,
    private readonly options: SubscribeOptions,
    private readonly signal: Signal,
    private readonly pollIntervalMs: number,
  ) {
    this.checkpoint = options.from;
    this.finished = this.loop();
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let batch;
      try {
        batch = await this.store.readAll(this.checkpoint, { limit: this.options.limit, types: this.options.types });
      } catch {
        // The database may be briefly unavailable: keep the checkpoint and try again.
        await this.signal.wait(this.pollIntervalMs);
        continue;
      }
      if (!this.running) break;
      if (batch.checkpoint === this.checkpoint) {
        await this.signal.wait(this.pollIntervalMs, this.options.types);
        continue;
      }
      try {
        await this.options.onEvents(batch.events, batch.checkpoint);
      } catch (error) {
        this.running = false;
        this.options.onError?.(error);
        return;
      }
      this.checkpoint = batch.checkpoint;
      // Only other types were appended (the checkpoint just moved past them): nothing to catch
      // up on, so sleep like an idle subscriber instead of chasing a busy log's end.
      if (batch.events.length === 0) {
        await this.signal.wait(this.pollIntervalMs, this.options.types);
        continue;
      }
      const linger = this.options.lingerMs ?? 0;
      if (linger > 0 && batch.events.length < (this.options.limit ?? 500)) await this.pause(linger);
    }
  }

  /** Sleep, but not past a stop(). */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeFromPause = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
  private wakeFromPause: () => void = () => undefined;

  async stop(): Promise<void> {
    this.running = false;
    this.wakeFromPause();
    this.signal.notify();
    await this.finished;
  }
}
