import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  DomainError,
  type ErrorKind,
  type FieldProblem,
  isConnectionError,
  outageLog,
  safeErrorSummary,
} from '@harbour/kernel';
import { HttpProblems } from './http-problems.js';

/** The HTTP status of each kind of domain error; a new kind fails to compile until it is mapped here. */
export function statusOf(kind: ErrorKind): number {
  switch (kind) {
    case 'invalid':
      return HttpStatus.BAD_REQUEST;
    case 'unauthenticated':
      return HttpStatus.UNAUTHORIZED;
    case 'forbidden':
      return HttpStatus.FORBIDDEN;
    case 'not-found':
      return HttpStatus.NOT_FOUND;
    case 'conflict':
      return HttpStatus.CONFLICT;
    case 'precondition-failed':
      return HttpStatus.PRECONDITION_FAILED;
    case 'gone':
      return HttpStatus.GONE;
    case 'rate-limited':
      return HttpStatus.TOO_MANY_REQUESTS;
    case 'unavailable':
      return HttpStatus.SERVICE_UNAVAILABLE;
    default: {
      const unmapped: never = kind;
      return unmapped; // unreachable: the compiler proves every kind is mapped above
    }
  }
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  requestId?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

/** `NOT_FOUND` → 'not found' (title) and 'not-found' (code). */
const statusName = (status: number, separator: string) =>
  HttpStatus[status]?.toString().toLowerCase().replace(/_/g, separator);

/** Fixed texts for framework errors: their own messages can echo the request. */
const FRAMEWORK_DETAIL: Record<number, string> = {
  [HttpStatus.BAD_REQUEST]: 'The request could not be read (for example, its body is not valid JSON)',
  [HttpStatus.NOT_FOUND]: 'There is no such route',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'The request body is too large',
  [HttpStatus.URI_TOO_LONG]: 'A path segment of the request is too long',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'The request body must be application/json',
};

/**
 * `instance` is the matched route's template (`/v1/agencies/{agencyId}/staff`), or '' when no
 * route matched: the raw path is the caller's own text (ids, or a whole made-up path).
 */
function routeTemplate(request: FastifyRequest): string {
  let url: string | undefined;
  try {
    url = request.routeOptions?.url;
  } catch {
    url = undefined; // a request Fastify refused before routing (bad URL, parameter too long)
  }
  return url ? url.replace(/:(\w+)/g, '{$1}') : '';
}

/**
 * Every error leaves as RFC 9457 application/problem+json with a stable `code`.
 * Unknown errors become a bare 500: their messages may echo data, so only a safe summary is logged.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const response = http.getResponse<FastifyReply>();
    const problem = this.toProblem(exception);
    problem.instance = routeTemplate(request);
    if (request.id) problem.requestId = String(request.id);
    if (problem.status === Number(HttpStatus.SERVICE_UNAVAILABLE)) {
      // Refusals while something is down come in floods: one line per kind per interval.
      const error = safeErrorSummary(exception);
      const said = outageLog.admit(`request refused:${problem.code}:${String(error.name)}:${String(error.code)}`);
      if (said)
        this.logger.warn({
          msg: 'requests refused: a dependency is unavailable',
          code: problem.code,
          requestId: request.id,
          error,
          suppressed: said.suppressed,
        });
    } else if (problem.status >= 500)
      this.logger.error({ msg: 'request failed', requestId: request.id, error: safeErrorSummary(exception) });
    // A domain refusal that says when to come back (e.g. share-code attempts) says it in the header too.
    if (problem.status === 429 && typeof problem.retryAfterSeconds === 'number')
      void response.header('Retry-After', String(problem.retryAfterSeconds));
    void response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof DomainError) {
      const status = statusOf(exception.kind);
      return {
        type: `urn:harbour:problem:${exception.code}`,
        title: statusName(status, ' ') ?? 'error',
        status,
        detail: exception.message,
        instance: '',
        code: exception.code,
        ...exception.details,
        ...(exception.fields.length ? { errors: exception.fields } : {}),
      };
    }
    if (exception instanceof HttpException) {
      // Framework errors (unknown route, malformed JSON, body too large). Their messages are not
      // passed on: "Cannot GET /path?query" and JSON parse errors quote what the client sent.
      const status = exception.getStatus();
      const title = statusName(status, ' ') ?? 'error';
      const code = statusName(status, '-') ?? 'http-error';
      return {
        type: `urn:harbour:problem:${code}`,
        title,
        status,
        detail: FRAMEWORK_DETAIL[status] ?? title,
        instance: '',
        code,
      };
    }
    if (isConnectionError(exception)) {
      // The database went away mid-request (fail closed: nothing was shown or half-written).
      return {
        type: `urn:harbour:problem:${HttpProblems.databaseUnavailable.code}`,
        title: 'service unavailable',
        status: HttpProblems.databaseUnavailable.status,
        detail: 'The database cannot be reached right now; try again shortly',
        instance: '',
        code: HttpProblems.databaseUnavailable.code,
      };
    }
    return {
      type: `urn:harbour:problem:${HttpProblems.internalError.code}`,
      title: 'internal error',
      status: 500,
      detail: 'Something went wrong on our side; the request id identifies it in our logs',
      instance: '',
      code: HttpProblems.internalError.code,
    };
  }
}
