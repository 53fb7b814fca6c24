import { DynamicModule, Module } from '@nestjs/common';
import { CreateMessagingTables1732500000000 } from '@platform/messaging';
import { ServiceKitModule } from '@platform/service';
import { PaymentConfig } from './config';

/** payment-service: wires the platform, its features, and what it consumes from other services. */
@Module({})
export class PaymentServiceModule {
  static register(config: PaymentConfig): DynamicModule {
    return {
      module: PaymentServiceModule,
      imports: [
        ServiceKitModule.forService({
          config,
          persistence: { entities: [], migrations: [CreateMessagingTables1732500000000] },
          messaging: {},
        }),
      ],
      providers: [{ provide: PaymentConfig, useValue: config }],
    };
  }
}
