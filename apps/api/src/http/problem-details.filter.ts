import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, type ErrorKind, type FieldProblem, safeErrorSummary } from '@harbour/kernel';

const STATUS: Record<ErrorKind, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  'not-found': HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  'precondition-failed': HttpStatus.PRECONDITION_FAILED,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

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

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/**
 * Every error leaves as RFC 9457 application/problem+json with a stable `code`.
 * Unknown errors become a bare 500: their messages may echo data, so only a safe summary is logged.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: string }>();
    const response = http.getResponse<Response>();
    const problem = this.toProblem(exception);
    problem.instance = request.path;
    if (request.id) problem.requestId = String(request.id);
    if (problem.status >= 500) this.logger.error({ msg: 'request failed', requestId: request.id, error: safeErrorSummary(exception) });
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof DomainError) {
      const status = STATUS[exception.kind];
      return {
        type: `urn:harbour:problem:${exception.code}`,
        title: HttpStatus[status]?.toString().replace(/_/g, ' ').toLowerCase() ?? 'error',
        status,
        detail: exception.message,
        instance: '',
        code: exception.code,
        ...exception.details,
        ...(exception.fields.length ? { errors: exception.fields } : {}),
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      // Framework errors (unknown route, malformed JSON, body too large): keep Nest's own short text.
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : String((body as { message?: unknown }).message ?? exception.message);
      const code = slug(exception.name.replace(/Exception$/, '')) || 'http-error';
      return { type: `urn:harbour:problem:${code}`, title: message, status, detail: message, instance: '', code };
    }
    return {
      type: 'urn:harbour:problem:internal-error',
      title: 'internal error',
      status: 500,
      detail: 'Something went wrong on our side; the request id identifies it in our logs',
      instance: '',
      code: 'internal-error',
    };
  }
}
