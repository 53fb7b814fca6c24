/** order-service's tables: the entities TypeORM maps and the migrations that build them, oldest first. */
import { messagingMigrations } from '@platform/messaging';
import { PersistenceOptions } from '@platform/persistence';
import { CreateOrders1732600000000 } from './create-orders.migration';
import { CustomerEmail1796500000000 } from './customer-email.migration';
import { IdempotencyKeyPerCustomer1796400000000 } from './idempotency-key-per-customer.migration';
import { OrderHistoryRecord } from './order-history.record';
import { OrderLineRecord } from './order-line.record';
import { OrderRecord } from './order.record';
import { StepClockFromPublish1796300000000 } from './step-clock-from-publish.migration';

export const orderPersistence: PersistenceOptions = {
  entities: [OrderRecord, OrderLineRecord, OrderHistoryRecord],
  migrations: [
    ...messagingMigrations,
    CreateOrders1732600000000,
    StepClockFromPublish1796300000000,
    IdempotencyKeyPerCustomer1796400000000,
    CustomerEmail1796500000000,
  ],
};
