import {
  Controller,
  Get,
  HttpStatus,
  Injectable,
  Res,
  ServiceUnavailableException,
  VERSION_NEUTRAL,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  type SchemaObject,
} from '@nestjs/swagger';
import {
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { Exposes, Public, Roles } from '@harbour/auth';
import { ProjectionRunner } from '@harbour/event-store';
import { PeriodicJobs } from '@harbour/kernel';

const CHECK: SchemaObject = {
  type: 'object',
  additionalProperties: true,
  properties: { status: { type: 'string', enum: ['up', 'down'] } },
};
/** Terminus's result: overall status, and each check (database; projections with their state, checkpoint and lag; jobs). */
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
/** The public probe: up or down, and the kinds of check that failed. */
const UP_DOWN: SchemaObject = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['ok', 'error'] },
    failing: { type: 'array', items: { type: 'string', enum: ['database', 'projections', 'health'] } },
  },
};

/** The full result: database, each projection's state and lag, each background job. Operators only. */
@Injectable()
export class HealthReport {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly projections: ProjectionRunner,
    private readonly jobs: PeriodicJobs,
  ) {}

  /** Never throws: a check that cannot even run (the database is gone) is a failed check. */
  async run(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.database.pingCheck('database').withTimeout(1500),
        async () => {
          const session = this.indicators.check('projections');
          const list = await this.projections.status().catch(() => null);
          if (!list) return session.down({ projections: [], unknown: 'the projection checkpoints could not be read' });
          const failed = list.filter((p) => p.state === 'failed');
          const data = {
            projections: list.map(({ name, state, checkpoint, lag }) => ({ name, state, checkpoint, lag })),
          };
          return failed.length ? session.down({ ...data, failed: failed.map((p) => p.name) }) : session.up(data);
        },
        // A job's failed run is shown, not a reason to take the process out of rotation: its next run retries.
        () => this.indicators.check('jobs').up({ jobs: this.jobs.status() }),
      ]);
    } catch (error) {
      if (error instanceof ServiceUnavailableException) return error.getResponse() as HealthCheckResult;
      return {
        status: 'error',
        info: {},
        error: { health: { status: 'down' } },
        details: { health: { status: 'down' } },
      };
    }
  }
}

// Load balancers and orchestrators probe it without credentials: up or down and nothing else.
// Projection checkpoints move with every read (each read appends an access event), so showing
// them here would let anyone who can reach the port watch case activity live.
@Public()
@ApiTags('operations')
@Exposes('none') // nothing about any survivor (see libs/auth exposure.ts)
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class HealthController {
  constructor(private readonly report: HealthReport) {}

  @Get()
  @ApiOperation({
    summary:
      'Up or down, for load balancers: 200 {"status":"ok"}, or 503 {"status":"error","failing":["database"|"projections"]}',
  })
  @ApiOkResponse({ description: 'Everything is up', schema: UP_DOWN })
  @ApiServiceUnavailableResponse({
    description: 'Something is down: `status: error` and the kinds of check that failed (not problem+json)',
    schema: UP_DOWN,
  })
  async check(@Res({ passthrough: true }) response: FastifyReply) {
    const result = await this.report.run();
    if (result.status === 'ok') return { status: 'ok' };
    void response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return { status: 'error', failing: Object.keys(result.error ?? {}).sort() };
  }
}

@ApiTags('operations')
@ApiBearerAuth()
@Exposes('none')
@Roles('network-admin')
@Controller('operations/health')
export class OperationsHealthController {
  constructor(private readonly report: HealthReport) {}

  @Get()
  @ApiOperation({
    summary:
      'Network admins: database reachability, each projection’s state and lag (events behind the log), each background job’s last run, last error and next run; 503 with the same body when a check fails',
  })
  @ApiOkResponse({ description: 'Everything is up', schema: HEALTH })
  @ApiServiceUnavailableResponse({
    description: 'Something is down: the same shape, with `status: error` and what failed (not problem+json)',
    schema: HEALTH,
  })
  async check(@Res({ passthrough: true }) response: FastifyReply) {
    const result = await this.report.run();
    if (result.status !== 'ok') void response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return result;
  }
}
