import { DomainError, type ErrorCatalogue } from '@harbour/kernel';
import type { ExpectedVersion } from './envelope.js';

/** Stable codes of the event store's DomainErrors; clients switch on these, so never rename one. */
export const EventStoreErrors = {
  concurrencyConflict: {
    code: 'concurrency-conflict',
    kind: 'conflict',
    message: 'The record was changed by someone else; reload and try again',
  },
  idempotencyKeyReused: {
    code: 'idempotency-key-reused',
    kind: 'invalid',
    message: 'This Idempotency-Key was already used for a different request',
  },
  invalidAppend: { code: 'invalid-append', kind: 'invalid', message: 'The append was refused' },
  idempotencyRace: {
    code: 'idempotency-race',
    kind: 'conflict',
    message: 'The same request is being processed; retry',
  },
  projectionNotFound: { code: 'projection-not-found', kind: 'not-found', message: 'Projection was not found' },
} as const satisfies ErrorCatalogue;

const E = EventStoreErrors;

/** The stream moved on since the caller read it. Stream ids stay out of the message. */
export class ConcurrencyConflict extends DomainError {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(E.concurrencyConflict.kind, E.concurrencyConflict.code, E.concurrencyConflict.message, {
      currentVersion: actual,
    });
  }
}

export class IdempotencyKeyReused extends DomainError {
  constructor() {
    super(E.idempotencyKeyReused.kind, E.idempotencyKeyReused.code, E.idempotencyKeyReused.message, {}, [
      { field: 'Idempotency-Key', problem: 'already used for a different request' },
    ]);
  }
}

export class InvalidAppend extends DomainError {
  constructor(reason: string) {
    super(E.invalidAppend.kind, E.invalidAppend.code, reason);
  }
}

/** Two requests with the same Idempotency-Key raced; the loser retries and gets the winner's result. */
export class IdempotencyRace extends DomainError {
  constructor() {
    super(E.idempotencyRace.kind, E.idempotencyRace.code, E.idempotencyRace.message);
  }
}
