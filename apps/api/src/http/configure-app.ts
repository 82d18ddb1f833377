import type { IncomingMessage, ServerResponse } from 'node:http';
import { type INestApplication, VersioningType } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { REQUEST_LOGGER, requestLog } from './logging.js';
import { ProblemDetailsFilter } from './problem-details.filter.js';
import { requestId } from './request-id.js';
import { validationPipe } from './validation.js';

/** Everything an HTTP app needs beyond its modules; shared by main.ts and the e2e tests. */
export function configureApp(app: INestApplication): INestApplication {
  app.useLogger(app.get(Logger));
  // The id is set before the body parser runs, so even a malformed body's problem carries it.
  app.use((req: IncomingMessage & { id?: string }, res: ServerResponse, next: () => void) => {
    req.id = requestId(req, res);
    // Answers may carry survivor data: no browser or proxy may keep a copy.
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(requestLog(app.get(REQUEST_LOGGER)));
  // No ETag either: a hash of the body would let anyone holding the header confirm a guess of
  // the content, and nothing is cached to revalidate. (Express computes it for every answer.)
  (app.getHttpAdapter().getInstance() as { set(setting: string, value: unknown): void }).set('etag', false);
  app.use(helmet());
  // Routes live under /v1 by URI version rather than a global prefix: with a prefix, Nest only
  // answers unknown paths inside it (others got Express's HTML 404), and the request logger ran
  // twice on the paths excluded from it. Version-neutral routes (/health) sit at the root.
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Harbour API')
      .setDescription('Consent-based case coordination for anti-trafficking networks')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
