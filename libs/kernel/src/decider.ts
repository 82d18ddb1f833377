import type { Actor } from './actor.js';

/** An event as the domain sees it: a past-tense fact of a discriminated union. */
export interface DomainEvent<Type extends string = string, Data extends object = object> {
  type: Type;
  data: Data;
  /** Payload schema version (default 1); bump it with an upcaster when a payload changes. */
  schemaVersion?: number;
}

/** The facts a decision may depend on besides state: who asks and when (injected time). */
export interface DecisionContext {
  now: Date;
  actor: Actor;
}

/**
 * A pure aggregate: `decide` turns a command and the current state into new events (or throws
 * a DomainError); `evolve` folds one event into the state. No I/O, no clock, no randomness.
 */
export interface Decider<State, Command, Event extends DomainEvent> {
  initialState: () => State;
  decide: (command: Command, state: State, context: DecisionContext) => Event[];
  evolve: (state: State, event: Event) => State;
}

/** Fold a history of events into a state. */
export const fold = <S, E extends DomainEvent>(
  decider: Pick<Decider<S, unknown, E>, 'initialState' | 'evolve'>,
  events: readonly E[],
): S => events.reduce(decider.evolve, decider.initialState());
