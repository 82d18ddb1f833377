import type { ErrorCatalogue } from '@harbour/kernel';

/** A code as a route lists it: the code and the status it comes with. */
export interface ListedProblem {
  code: string;
  status: number;
}

/**
 * Codes the problem filter answers with outside any lib's catalogue: framework errors (their
 * code is the status's name) and our own unexpected failures.
 */
export const HttpProblems = {
  badRequest: { code: 'bad-request', status: 400 },
  payloadTooLarge: { code: 'payload-too-large', status: 413 },
  uriTooLong: { code: 'uri-too-long', status: 414 },
  unsupportedMediaType: { code: 'unsupported-media-type', status: 415 },
  internalError: { code: 'internal-error', status: 500 },
  /** A query found the database gone (connection refused or broken): fail closed. */
  databaseUnavailable: { code: 'database-unavailable', status: 503 },
} as const satisfies Record<string, ListedProblem>;

/** The HTTP layer's own DomainErrors (apps/api is not a lib, but its codes are catalogued the same way). */
export const ApiErrors = {
  rateLimited: {
    code: 'rate-limited',
    kind: 'rate-limited',
    message: 'Too many requests; retry after the number of seconds in Retry-After',
  },
  // Structural limits of a JSON body (json-body.ts), checked before validation.
  jsonTooDeep: { code: 'json-too-deep', kind: 'invalid', message: 'The body is nested too deep' },
  jsonTooManyKeys: { code: 'json-too-many-keys', kind: 'invalid', message: 'An object in the body has too many keys' },
  jsonArrayTooLong: {
    code: 'json-array-too-long',
    kind: 'invalid',
    message: 'An array in the body has too many items',
  },
  jsonStringTooLong: { code: 'json-string-too-long', kind: 'invalid', message: 'A string in the body is too long' },
  jsonMalformedString: {
    code: 'json-malformed-string',
    kind: 'invalid',
    message: 'A string in the body is not well-formed UTF-16',
  },
} as const satisfies ErrorCatalogue;
