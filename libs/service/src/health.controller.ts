import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { MessagingHealth } from '@platform/messaging';
import { DatabaseHealth } from '@platform/persistence';
import { Public } from './auth';

/**
 * Liveness (the process answers) and readiness (its database answers, both RabbitMQ connections are up and
 * the outbox relay publishes).
 */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: DatabaseHealth,
    private readonly messaging: MessagingHealth,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up' })
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @ApiOperation({
    summary:
      'The service can do work: 200 when its database and RabbitMQ answer and its outbox relay publishes, 503 otherwise',
  })
  @HealthCheck()
  ready() {
    return this.health.check([
      async () => {
        const check = this.indicators.check('database');
        return (await this.database.isReachable())
          ? check.up()
          : check.down({ message: 'PostgreSQL does not answer' });
      },
      () => {
        const check = this.indicators.check('rabbitmq');
        const problems = this.messaging.problems();
        return problems.length === 0 ? check.up() : check.down({ message: problems.join('; ') });
      },
    ]);
  }
}
