import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import canonicalize from 'canonicalize';
import { CLOCK, type Clock } from '@harbour/kernel';
import type { AppendContext, NewEvent, StreamAppend } from '../envelope.js';
import { ConcurrencyConflict, IdempotencyKeyReused, IdempotencyRace } from '../errors.js';
import { EventStore, isDuplicate } from '../event-store.js';
import { CurrentState } from './current-state.js';
import type { Decider, DomainEvent } from './decider.js';

export interface Idempotency {
  /** The client's Idempotency-Key. */
  key: string;
  /** What the key is unique within (default: the acting user). */
  scope?: string;
  /** Hash of the request as the client sent it (default: of the command). */
  fingerprint?: string;
}

export interface Execution<S, C, E extends DomainEvent, R> {
  streamId: string;
  decider: Decider<S, C, E>;
  command: C;
  context: AppendContext;
  idempotency?: Idempotency;
  /** The caller's answer, computed from the decision; stored for idempotent repeats. */
  result?: (outcome: { state: S; events: E[]; version: number }) => R;
  /** The version the caller last saw (If-Match): refuse, without retrying, if the stream moved on. */
  expectedVersion?: number | null;
  /** Re-decide this many times when another writer got there first. */
  maxAttempts?: number;
  /**
   * Facts for other streams that must be stored with this decision: appended in the same
   * transaction, each at its expected version (all or nothing); a conflict on any re-decides.
   */
  alongside?: (outcome: { state: S; events: E[] }) => Promise<StreamAppend[]>;
}

export const fingerprintOf = (value: unknown): string =>
  createHash('sha256')
    .update(canonicalize(value) ?? '')
    .digest('hex');

/**
 * Load → decide → append with the expected version (and, in the same transaction, any facts
 * the decision owes other streams). A conflict is resolved by reloading and deciding again,
 * never by overwriting. Projections learn of the events from the store's log, never in memory.
 */
@Injectable()
export class AggregateRepository {
  constructor(
    private readonly store: EventStore,
    private readonly current: CurrentState,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Current state, folded incrementally from the events not seen before (see CurrentState). */
  load<S, E extends DomainEvent>(
    streamId: string,
    decider: Pick<Decider<S, unknown, E>, 'initialState' | 'evolve'>,
  ): Promise<{ state: S; version: number }> {
    return this.current.load(streamId, decider);
  }

  async execute<S, C, E extends DomainEvent, R = { version: number }>(run: Execution<S, C, E, R>): Promise<R> {
    const answer = run.result ?? ((o: { version: number }) => ({ version: o.version }) as R);
    const idempotency = run.idempotency && {
      scope: run.idempotency.scope ?? `user:${run.context.actor.userId}`,
      key: run.idempotency.key,
      fingerprint: run.idempotency.fingerprint ?? fingerprintOf(run.command),
    };
    const attempts = run.maxAttempts ?? 5;
    if (idempotency) {
      // A repeat must not be decided again: the state has moved on and may now refuse it.
      const prior = await this.store.findIdempotencyRecord(idempotency.scope, idempotency.key);
      if (prior) return this.repeat(prior, idempotency.fingerprint);
    }

    for (let attempt = 1; ; attempt++) {
      const { state, version } = await this.load(run.streamId, run.decider);
      if (run.expectedVersion != null && run.expectedVersion !== version)
        throw new ConcurrencyConflict(run.streamId, run.expectedVersion, version);
      let events: E[];
      try {
        events = run.decider.decide(run.command, state, { now: this.clock.now(), actor: run.context.actor });
      } catch (error) {
        // A concurrent twin of this request may have just been applied: answer as it did.
        const prior = idempotency && (await this.store.findIdempotencyRecord(idempotency.scope, idempotency.key));
        if (prior) return this.repeat(prior, idempotency.fingerprint);
        throw error;
      }
      const newState = events.reduce(run.decider.evolve, state);
      const result = answer({ state: newState, events, version: version + events.length });
      if (events.length === 0) return result;

      try {
        const own: StreamAppend = {
          streamId: run.streamId,
          expected: version === -1 ? 'no-stream' : version,
          events: events.map(toNew),
        };
        const others = run.alongside ? await run.alongside({ state: newState, events }) : [];
        const options = idempotency ? { idempotency: { ...idempotency, result } } : {};
        const appended = others.length
          ? await this.store.appendMany([own, ...others], run.context, options)
          : await this.store.append(own.streamId, own.expected, own.events, run.context, options);
        if (isDuplicate(appended)) return this.repeat(appended, idempotency!.fingerprint);
        return result;
      } catch (error) {
        const retriable = error instanceof ConcurrencyConflict || error instanceof IdempotencyRace;
        if (!retriable || attempt >= attempts) throw error;
      }
    }
  }

  private repeat<R>(prior: { fingerprint: string; result: unknown }, fingerprint: string): R {
    if (prior.fingerprint !== fingerprint) throw new IdempotencyKeyReused();
    return prior.result as R;
  }
}

const toNew = (e: DomainEvent): NewEvent => ({ type: e.type, data: e.data, schemaVersion: e.schemaVersion ?? 1 });
