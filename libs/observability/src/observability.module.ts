import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';

/** Adds `GET /metrics` to a service. */
@Module({ controllers: [MetricsController] })
export class ObservabilityModule {}
