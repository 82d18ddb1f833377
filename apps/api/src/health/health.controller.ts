import { Controller, Get, HttpStatus, Res, ServiceUnavailableException, VERSION_NEUTRAL } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags, type SchemaObject } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Exposes, Public } from '@harbour/auth';
import { ProjectionRunner } from '@harbour/event-store';
import { PeriodicJobs } from '@harbour/kernel';

const CHECK: SchemaObject = { type: 'object', additionalProperties: true, properties: { status: { type: 'string', enum: ['up', 'down'] } } };
/** Terminus's result: overall status, and each check (database; projections with their state, checkpoint and lag). */
const HEALTH: SchemaObject = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['ok', 'error', 'shutting_down'] },
    info: { type: 'object', additionalProperties: CHECK },
    error: { type: 'object', additionalProperties: CHECK },
    details: { type: 'object', additionalProperties: CHECK },
  },
};

// Load balancers and orchestrators probe it without credentials; it shows no survivor data.
@Public()
@ApiTags('operations')
@Exposes('none') // nothing about any survivor (see libs/auth exposure.ts)
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly projections: ProjectionRunner,
    private readonly jobs: PeriodicJobs,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Database reachability, each projection’s state and lag (events behind the log), each background job’s last run, last error and next run' })
  @ApiOkResponse({ description: 'Everything is up', schema: HEALTH })
  @ApiServiceUnavailableResponse({ description: 'Something is down: the same shape, with `status: error` and what failed (not problem+json)', schema: HEALTH })
  check(@Res({ passthrough: true }) response: FastifyReply) {
    return this.health.check([
      () => this.database.pingCheck('database').withTimeout(1500),
      async () => {
        const session = this.indicators.check('projections');
        const list = await this.projections.status();
        const failed = list.filter((p) => p.state === 'failed');
        const data = { projections: list.map(({ name, state, checkpoint, lag }) => ({ name, state, checkpoint, lag })) };
        return failed.length ? session.down({ ...data, failed: failed.map((p) => p.name) }) : session.up(data);
      },
      // A job's failed run is shown, not a reason to take the process out of rotation: its next run retries.
      () => this.indicators.check('jobs').up({ jobs: this.jobs.status() }),
    ]).catch((error: unknown) => {
      // A failed check is a 503 carrying the full result (as /docs describes it): answer with that
      // result, not the bare problem+json the global filter would make of the exception.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void response.status(HttpStatus.SERVICE_UNAVAILABLE);
      return error.getResponse();
    });
  }
}
