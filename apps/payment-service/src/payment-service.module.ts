import { DynamicModule, Module } from '@nestjs/common';
import { consumers } from '@platform/contracts';
import { ServiceKitModule } from '@platform/service';
import { AccountsModule } from './accounts/accounts.module';
import { PaymentConfig } from './config';
import { PaymentsModule } from './payments/payments.module';
import { paymentPersistence } from './persistence/payment-persistence';

/** payment-service: wires the platform, its features, and what it consumes from other services. */
@Module({})
export class PaymentServiceModule {
  static register(config: PaymentConfig): DynamicModule {
    return {
      module: PaymentServiceModule,
      global: true,
      imports: [
        ServiceKitModule.forService({
          config,
          persistence: paymentPersistence,
          messaging: consumers.payment,
        }),
        AccountsModule,
        PaymentsModule,
      ],
      providers: [{ provide: PaymentConfig, useValue: config }],
      exports: [PaymentConfig],
    };
  }
}
