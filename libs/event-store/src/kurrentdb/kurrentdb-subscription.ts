import {
  START,
  eventTypeFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type Position,
} from '@kurrent/kurrentdb-client';
import type { StoredEvent } from '../envelope.js';
import type { SubscribeOptions, Subscription } from '../event-store.js';
import type { KurrentEventStore } from './kurrentdb-event-store.js';
import { decodePosition, encodePosition, eventTypeRegex, isHarbourType } from './mapping.js';

type Item =
  | { event: StoredEvent | null; position: bigint; error?: undefined }
  | { event: null; position: bigint; error: unknown };

/**
 * `subscribeToAll` with a server-side event-type filter, delivered to the port's batch
 * contract: events queue up as the server sends them (the stream is paused while a full batch
 * waits, so a slow consumer is back-pressured, not flooded), and each batch goes to onEvents
 * with the position it covers. Filtered-out stretches arrive as KurrentDB `checkpointReached`
 * positions and become empty batches, so the consumer's checkpoint (committed in its
 * PostgreSQL read-model transaction by the projection runner) moves past them.
 * Resuming: the checkpoint decodes to the exact KurrentDB position, the server resumes after
 * it, and anything at or below the checkpoint is dropped — never skipped, never repeated.
 * A dropped connection re-subscribes from the last handled checkpoint; a throwing handler
 * stops the subscription for good (onError), like the PostgreSQL adapter's.
 */
export class KurrentSubscription implements Subscription {
  checkpoint: bigint;
  running = true;
  private queue: Item[] = [];
  private live: AllStreamSubscription | null = null;
  private wake: () => void = () => undefined;
  private readonly finished: Promise<void>;
  private readonly limit: number;

  constructor(
    private readonly store: KurrentEventStore,
    private readonly options: SubscribeOptions,
    private readonly reconnectMs: number,
  ) {
    this.checkpoint = options.from;
    this.limit = options.limit ?? 500;
    this.finished = this.loop();
  }

  private open(): void {
    const from = decodePosition(this.checkpoint);
    const sub = this.store.client.subscribeToAll({
      fromPosition: from ?? START,
      filter: eventTypeFilter({
        regex: eventTypeRegex(this.options.types),
        checkpointReached: (_s: AllStreamSubscription, position: Position) => {
          try {
            this.push({ event: null, position: encodePosition(position) });
          } catch (error) {
            this.push({ event: null, position: this.checkpoint, error });
          }
        },
      }),
    });
    sub.on('data', (resolved: AllStreamResolvedEvent) => {
      if (!resolved.event || !isHarbourType(resolved.event.type, this.options.types)) return;
      let event: StoredEvent;
      try {
        event = this.store.toStored(resolved);
      } catch (error) {
        // An event written around Harbour (no chain fields): stop here, like a failing
        // handler, rather than skip it or crash the process from a stream listener.
        this.push({ event: null, position: this.checkpoint, error });
        return;
      }
      this.push({ event, position: event.globalPosition });
      if (this.queue.length >= this.limit) sub.pause();
    });
    sub.on('error', () => {
      // Connection lost (or the server restarted): resume from what was handled.
      if (this.live !== sub) return;
      this.live = null;
      this.queue = [];
      void sub.unsubscribe().catch(() => undefined);
      setTimeout(() => {
        if (this.running && !this.live) this.open();
      }, this.reconnectMs).unref();
    });
    this.live = sub;
  }

  private push(item: Item): void {
    this.queue.push(item);
    this.wake();
  }

  private async loop(): Promise<void> {
    this.open();
    while (this.running) {
      if (this.queue.length === 0) {
        this.live?.resume();
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      const taken = this.queue.splice(0, this.limit);
      const events: StoredEvent[] = [];
      let covers = this.checkpoint;
      let failure: { error: unknown } | null = null;
      for (const item of taken) {
        if (item.error !== undefined) {
          failure = { error: item.error };
          break;
        }
        if (item.position <= this.checkpoint) continue; // a resume may re-send its first event
        if (item.event) events.push(item.event);
        if (item.position > covers) covers = item.position;
      }
      try {
        if (covers !== this.checkpoint) await this.options.onEvents(events, covers);
        if (failure) throw failure.error;
      } catch (error) {
        this.running = false;
        await this.live?.unsubscribe().catch(() => undefined);
        this.options.onError?.(error);
        return;
      }
      if (covers === this.checkpoint) continue;
      this.checkpoint = covers;
      const linger = this.options.lingerMs ?? 0;
      if (linger > 0 && events.length > 0 && events.length < this.limit)
        await new Promise((r) => setTimeout(r, linger));
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    const live = this.live;
    this.live = null;
    this.wake();
    await live?.unsubscribe().catch(() => undefined);
    await this.finished;
  }
}
