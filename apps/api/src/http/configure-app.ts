import { HttpException, HttpStatus, type INestApplication, VersioningType } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import helmet from '@fastify/helmet';
import { registerConsole } from '@harbour/console';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { registerBodyParsers } from './json-body.js';
import { REQUEST_LOGGER, requestLog } from './logging.js';
import { openApiDocument } from './openapi.js';
import { ProblemDetailsFilter } from './problem-details.filter.js';
import { registerRateLimit } from './rate-limit.js';
import { requestId } from './request-id.js';
import { validationPipe } from './validation.js';

/** Largest request body accepted (JSON, the only body type); larger ones get 413. */
const BODY_LIMIT = 100 * 1024;

/**
 * The HTTP adapter: Fastify. Its own cost per request is about a quarter of Express's
 * (a bare Nest app on the 2-core machine: 28 vs 100 µs of CPU per request).
 * The request id is assigned before anything else runs, so even a malformed body's problem
 * carries it.
 */
export const httpAdapter = (): FastifyAdapter =>
  new FastifyAdapter({ bodyLimit: BODY_LIMIT, genReqId: requestId, logger: false, frameworkErrors: frameworkError });

/**
 * Errors Fastify raises before routing (a path parameter over `maxParamLength`: 414; a URL that
 * is not valid percent-encoding: 400). Its own answers are plain JSON quoting the whole path;
 * these go through the problem filter instead, whose texts are fixed.
 */
function frameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  void reply.header('X-Request-Id', request.id).header('Cache-Control', 'no-store');
  const status = error.statusCode && error.statusCode < 500 ? error.statusCode : HttpStatus.BAD_REQUEST;
  new ProblemDetailsFilter().catch(
    new HttpException('refused before routing', status),
    new ExecutionContextHost([request, reply]),
  );
}

const documents = new WeakMap<object, OpenAPIObject>();

/** The OpenAPI document an app configured here serves at /docs-json. */
export const servedDocument = (app: INestApplication): OpenAPIObject | undefined => documents.get(app);

/** Everything an HTTP app needs beyond its modules; shared by main.ts, the benchmarks and the e2e tests. */
export async function configureApp(nest: INestApplication): Promise<NestFastifyApplication> {
  const app = nest as NestFastifyApplication;
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('X-Request-Id', request.id);
    // Answers may carry survivor data: no browser or proxy may keep a copy.
    void reply.header('Cache-Control', 'no-store');
    done();
  });
  requestLog(fastify, app.get(REQUEST_LOGGER));
  registerBodyParsers(app, BODY_LIMIT);
  await app.register(helmet);
  // The web console (libs/console): its pages, sign-in and session routes, and the strict CSP,
  // no-sniff and no-referrer headers on everything a console page loads or reads.
  await registerConsole(app, (error, request, reply) =>
    new ProblemDetailsFilter().catch(error, new ExecutionContextHost([request, reply])),
  );
  await registerRateLimit(app);
  // Routes live under /v1 by URI version rather than a global prefix: with a prefix, Nest only
  // answers unknown paths inside it. Version-neutral routes (/health) sit at the root.
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  const document = openApiDocument(app);
  documents.set(app, document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
