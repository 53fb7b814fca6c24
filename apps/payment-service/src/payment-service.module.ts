import { DynamicModule, Module } from '@nestjs/common';
import { ChargePayment, RefundPayment } from '@platform/contracts';
import { CreateMessagingTables1732500000000 } from '@platform/messaging';
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
            migrations: [
              CreateMessagingTables1732500000000,
              CreateAccounts1732510000000,
              CreatePayments1732510000001,
            ],
          },
          messaging: { commands: [ChargePayment, RefundPayment] },
        }),
        AccountsModule,
        PaymentsModule,
      ],
      providers: [{ provide: PaymentConfig, useValue: config }],
      exports: [PaymentConfig],
    };
  }
}
