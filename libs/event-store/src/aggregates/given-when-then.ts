import { deepStrictEqual, fail } from 'node:assert/strict';
import { DomainError, type ErrorKind } from '@harbour/kernel';
import { fold, type Decider, type DecisionContext, type DomainEvent } from './decider.js';

/** One decision under test: assert the events it produces, or the domain error it throws. */
export interface Scenario<E extends DomainEvent> {
  /** Asserts the exact events (order included); returns them for further checks. */
  then(expected: readonly E[]): E[];
  /** Asserts a DomainError with this stable code (and kind, when given); returns it. */
  thenThrows(code: string, kind?: ErrorKind): DomainError;
}

/**
 * Given/when/then for any pure decider, so tests read like the rules:
 * `given(decider, history).when(command, { now, actor }).then([...events])` or `.thenThrows(code)`.
 * It uses node:assert rather than jest's `expect`, so it runs under any test runner.
 */
export function given<S, C, E extends DomainEvent>(decider: Decider<S, C, E>, history: readonly NoInfer<E>[] = []) {
  return {
    when(command: C, context: DecisionContext): Scenario<E> {
      const decide = () => decider.decide(command, fold(decider, history), context);
      return {
        then(expected) {
          // An object with `then` is a thenable: `await`ing a scenario would land here with a callback.
          if (typeof expected === 'function')
            throw new Error('given/when/then: call .then(events) directly; do not await a scenario');
          const events = decide();
          deepStrictEqual(events, expected);
          // The new events must also fold cleanly onto the state they were decided from.
          fold(decider, [...history, ...events]);
          return events;
        },
        thenThrows(code, kind) {
          let events: E[];
          try {
            events = decide();
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            deepStrictEqual(
              { code: error.code, ...(kind ? { kind: error.kind } : {}) },
              { code, ...(kind ? { kind } : {}) },
            );
            return error;
          }
          return fail(
            `expected a DomainError '${code}' but the decider produced ${JSON.stringify(events.map((e) => e.type))}`,
          );
        },
      };
    },
  };
}
