/** payment-service's tables: the entities TypeORM maps and the migrations that build them, oldest first. */
import { messagingMigrations } from '@platform/messaging';
import { PersistenceOptions } from '@platform/persistence';
import { AccountRecord } from '../accounts/persistence/account.record';
import { CreateAccounts1732510000000 } from '../accounts/persistence/create-accounts.migration';
import { CreatePayments1732510000001 } from '../payments/persistence/create-payments.migration';
import { PaymentRecord } from '../payments/persistence/payment.record';

export const paymentPersistence: PersistenceOptions = {
  entities: [AccountRecord, PaymentRecord],
  migrations: [...messagingMigrations, CreateAccounts1732510000000, CreatePayments1732510000001],
};
