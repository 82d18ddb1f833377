import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { type DestinationStream, type Logger, pino } from 'pino';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HarbourConfig } from '@harbour/kernel';
import { clientRequestId } from './request-id.js';

/** The process's pino logger, for the request log (the application logs through nestjs-pino's Logger). */
export const REQUEST_LOGGER = Symbol('RequestLogger');

/**
 * Structured JSON logs through one pino logger. `destination` (default: stdout) lets tests
 * capture the lines. nestjs-pino carries Nest's own logs; its per-request middleware is not
 * mounted (`forRoutes: []`): it builds child loggers for every request even when nothing is
 * logged, and the request line below is all a request needs.
 */
@Module({})
export class LoggingModule {
  static forRoot(config: HarbourConfig, destination?: DestinationStream): DynamicModule {
    const logger = pino({ level: config.LOG_LEVEL }, destination);
    return {
      module: LoggingModule,
      global: true,
      imports: [LoggerModule.forRoot({ pinoHttp: { logger }, forRoutes: [] })],
      providers: [{ provide: REQUEST_LOGGER, useValue: logger }],
      exports: [REQUEST_LOGGER, LoggerModule],
    };
  }
}

/**
 * One line per request when it ends: request id (Harbour's own), the caller's `X-Request-Id` as
 * `clientRequestId` when it is a plain token, method, path (no query string: it may carry
 * search terms), status and time. Bodies and headers are never logged. 5xx is an error, 4xx a
 * warning.
 */
export function requestLog(fastify: FastifyInstance, logger: Logger): void {
  const client = (request: FastifyRequest) => {
    const id = clientRequestId(request.raw);
    return id === null ? {} : { clientRequestId: id };
  };
  const line = (request: FastifyRequest, statusCode: number, responseTime: number, msg: string) => {
    // A 503 is a fail-closed refusal while a dependency is down, not a fault of this request:
    // the throttled outage lines say why, once per interval.
    const level = statusCode >= 500 && statusCode !== 503 ? 'error' : statusCode >= 400 ? 'warn' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    const url = request.raw.url ?? '';
    const queryAt = url.indexOf('?');
    logger[level](
      {
        req: {
          id: request.id,
          method: request.method,
          path: queryAt === -1 ? url : url.slice(0, queryAt),
          ...client(request),
        },
        res: { statusCode },
        responseTime: Math.round(responseTime),
      },
      msg,
    );
  };
  fastify.addHook('onResponse', (request, reply, done) => {
    line(request, reply.statusCode, reply.elapsedTime, 'request completed');
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    line(request, 499, 0, 'request aborted');
    done();
  });
}
