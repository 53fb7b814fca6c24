import { DynamicModule, Module } from '@nestjs/common';
import { consumers } from '@platform/contracts';
import { messagingMigrations } from '@platform/messaging';
import { ServiceKitModule } from '@platform/service';
import { AccountsModule } from './accounts/accounts.module';
import { AccountRecord } from './accounts/persistence/account.record';
import { CreateAccounts1732510000000 } from './accounts/persistence/create-accounts.migration';
import { PaymentConfig } from './config';
import { CreatePayments1732510000001 } from './payments/persistence/create-payments.migration';
import { PaymentRecord } from './payments/persistence/payment.record';
import { PaymentsModule } from './payments/payments.module';

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
          persistence: {
            entities: [AccountRecord, PaymentRecord],
            migrations: [...messagingMigrations, CreateAccounts1732510000000, CreatePayments1732510000001],
          },
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
