import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { ServiceConfig } from '@platform/config';
import { MessagingModule, MessagingOptions } from '@platform/messaging';
import { ObservabilityModule } from '@platform/observability';
import { PersistenceModule, PersistenceOptions } from '@platform/persistence';
import { AuthGuard, TokenVerifier } from './auth';
import { HealthController } from './health.controller';

/** Everything a service needs besides its own features: config, database, messaging, health, metrics. */
export interface ServiceKitOptions {
  config: ServiceConfig;
  persistence: PersistenceOptions;
  messaging: MessagingOptions;
}

/**
 * The platform under one import: the service's configuration (injectable as ServiceConfig), its database,
 * CQRS buses, RabbitMQ messaging, `/health/*` and `/metrics`, and bearer tokens required on every other route.
 */
@Global()
@Module({})
export class ServiceKitModule {
  static forService({ config, persistence, messaging }: ServiceKitOptions): DynamicModule {
    return {
      module: ServiceKitModule,
      imports: [
        CqrsModule.forRoot(),
        TerminusModule.forRoot({ logger: false }),
        ObservabilityModule,
        PersistenceModule.forRoot(persistence),
        MessagingModule.forService(messaging),
      ],
      controllers: [HealthController],
      providers: [
        { provide: ServiceConfig, useValue: config },
        { provide: TokenVerifier, useValue: new TokenVerifier(config.auth) },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [ServiceConfig],
    };
  }
}
