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
  unsupportedMediaType: { code: 'unsupported-media-type', status: 415 },
  internalError: { code: 'internal-error', status: 500 },
} as const satisfies Record<string, ListedProblem>;

/** The HTTP layer's own DomainErrors (apps/api is not a lib, but its codes are catalogued the same way). */
export const ApiErrors = {
  rateLimited: { code: 'rate-limited', kind: 'rate-limited', message: 'Too many requests; retry after the number of seconds in Retry-After' },
} as const satisfies ErrorCatalogue;
