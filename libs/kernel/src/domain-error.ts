/**
 * Domain errors say what went wrong in the language of the domain, never in HTTP terms.
 * `kind` is the transport-neutral category one filter maps to a status code; `code` is a
 * stable string a client can switch on. Messages and details must never carry survivor data.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'precondition-failed'
  | 'rate-limited'
  | 'unavailable';

export interface FieldProblem {
  /** Dotted path of the offending field, e.g. `regions.0`. */
  field: string;
  /** What is wrong with it; never the submitted value. */
  problem: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    /** Safe, non-identifying facts a client may use (e.g. the current stream version). */
    readonly details: Record<string, unknown> = {},
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationFailed extends DomainError {
  constructor(fields: FieldProblem[], message = 'The request has invalid fields') {
    super('invalid', 'validation-failed', message, {}, fields);
  }
}

export class NotFound extends DomainError {
  constructor(what: string, code = 'not-found') {
    super('not-found', code, `${what} was not found`);
  }
}

/**
 * A summary of any error that is safe to log: its class, driver code and constraint name.
 * Free-text messages are only kept for our own DomainErrors, because database and library
 * messages can echo the values that caused them (e.g. "Key (x)=(...) already exists").
 */
export function safeErrorSummary(error: unknown): Record<string, unknown> {
  if (error instanceof DomainError) {
    return { name: error.name, code: error.code, message: error.message };
  }
  if (error instanceof Error) {
    const e = error as Error & { code?: unknown; constraint?: unknown; driverError?: { code?: unknown; constraint?: unknown } };
    return {
      name: e.name,
      code: e.code ?? e.driverError?.code,
      constraint: e.constraint ?? e.driverError?.constraint,
    };
  }
  return { name: typeof error };
}
