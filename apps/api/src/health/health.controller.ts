import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { ProjectionRunner } from '@harbour/event-store';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly projections: ProjectionRunner,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Database reachability and each projection’s state and lag (events behind the log)' })
  check() {
    return this.health.check([
      () => this.database.pingCheck('database').withTimeout(1500),
      async () => {
        const session = this.indicators.check('projections');
        const list = await this.projections.status();
        const failed = list.filter((p) => p.state === 'failed');
        const data = { projections: list.map(({ name, state, checkpoint, lag }) => ({ name, state, checkpoint, lag })) };
        return failed.length ? session.down({ ...data, failed: failed.map((p) => p.name) }) : session.up(data);
      },
    ]);
  }
}
