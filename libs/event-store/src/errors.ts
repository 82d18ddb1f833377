import { DomainError } from '@harbour/kernel';
import type { ExpectedVersion } from './envelope.js';

/** The stream moved on since the caller read it. Stream ids stay out of the message. */
export class ConcurrencyConflict extends DomainError {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super('conflict', 'concurrency-conflict', 'The record was changed by someone else; reload and try again', {
      currentVersion: actual,
    });
  }
}

export class IdempotencyKeyReused extends DomainError {
  constructor() {
    super('invalid', 'idempotency-key-reused', 'This Idempotency-Key was already used for a different request', {}, [
      { field: 'Idempotency-Key', problem: 'already used for a different request' },
    ]);
  }
}

export class InvalidAppend extends DomainError {
  constructor(reason: string) {
    super('invalid', 'invalid-append', reason);
  }
}

/** Two requests with the same Idempotency-Key raced; the loser retries and gets the winner's result. */
export class IdempotencyRace extends DomainError {
  constructor() {
    super('conflict', 'idempotency-race', 'The same request is being processed; retry');
  }
}
