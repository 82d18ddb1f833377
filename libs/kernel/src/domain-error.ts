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
  /** The resource existed and was deliberately removed (erasure). */
  | 'gone'
  | 'rate-limited'
  | 'unavailable';

export interface FieldProblem {
  /** Dotted path of the offending field, e.g. `regions.0`. */
  field: string;
  /** What is wrong with it; never the submitted value. */
  problem: string;
}

/**
 * One entry of a lib's error catalogue: the stable code, the kind the filter maps to a status,
 * and a fixed message that is safe to show (it never carries survivor data).
 */
export interface ErrorSpec {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly message: string;
}

/** Each lib exports its codes as one table: `export const XErrors = { … } as const satisfies ErrorCatalogue`. */
export type ErrorCatalogue = { readonly [name: string]: ErrorSpec };

/** What a call site may add to a catalogue entry: a more specific fixed message, safe details, field problems. */
export interface ErrorExtras {
  message?: string;
  details?: Record<string, unknown>;
  fields?: FieldProblem[];
}

export class DomainError extends Error {
  /** The error for a catalogue entry; the only way lib code builds one (no inline code strings). */
  static of(spec: ErrorSpec, extras: ErrorExtras = {}): DomainError {
    return new DomainError(spec.kind, spec.code, extras.message ?? spec.message, extras.details, extras.fields);
  }

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

/** Codes every lib may raise: malformed input, and a thing that is not there. */
export const KernelErrors = {
  validationFailed: { code: 'validation-failed', kind: 'invalid', message: 'The request has invalid fields' },
  notFound: { code: 'not-found', kind: 'not-found', message: 'Not found' },
} as const satisfies ErrorCatalogue;

export class ValidationFailed extends DomainError {
  constructor(fields: FieldProblem[], message: string = KernelErrors.validationFailed.message) {
    super(KernelErrors.validationFailed.kind, KernelErrors.validationFailed.code, message, {}, fields);
  }
}

/** A not-found entry of a catalogue, with the thing's name in the message. */
export class NotFound extends DomainError {
  constructor(what: string, spec: ErrorSpec = KernelErrors.notFound) {
    super(spec.kind, spec.code, `${what} was not found`);
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
    const e = error as Error & {
      code?: unknown;
      constraint?: unknown;
      driverError?: { code?: unknown; constraint?: unknown };
    };
    return {
      name: e.name,
      code: e.code ?? e.driverError?.code,
      constraint: e.constraint ?? e.driverError?.constraint,
    };
  }
  return { name: typeof error };
}
