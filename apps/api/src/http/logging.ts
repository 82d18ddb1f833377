import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import type { HarbourConfig } from '@harbour/kernel';
import { requestId } from './request-id.js';

/**
 * Structured JSON logs. Requests are logged by method, path (no query string: it may carry
 * search terms), status and time; bodies and headers are never logged.
 * `destination` (default: stdout) lets tests capture the lines.
 */
export const loggingModule = (config: HarbourConfig, destination?: DestinationStream) => {
  const options: Options = {
    level: config.LOG_LEVEL,
    genReqId: requestId,
    serializers: {
      req: (req: IncomingMessage & { id?: string; raw?: IncomingMessage }) => ({
        id: req.id,
        method: req.method,
        path: (req.url ?? '').split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    redact: { paths: ['req.headers', 'req.body', 'res.headers'], remove: true },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
  };
  return LoggerModule.forRoot({ pinoHttp: destination ? [options, destination] : options });
};
