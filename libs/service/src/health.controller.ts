import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { BrokerConnection } from '@platform/messaging';
import { DatabaseHealth } from '@platform/persistence';

/** Liveness (the process answers) and readiness (its database and RabbitMQ answer too). */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: DatabaseHealth,
    private readonly broker: BrokerConnection,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up' })
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @ApiOperation({
    summary: 'The service can do work: 200 when its database and RabbitMQ answer, 503 otherwise',
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
        return this.broker.isReady ? check.up() : check.down({ message: 'not connected to RabbitMQ' });
      },
    ]);
  }
}
