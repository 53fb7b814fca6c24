import { CreateDeliveryAttempts1796200000000 } from './delivery-attempts.migration';
import { CreateMessagingTables1732500000000 } from './messaging-tables.migration';

/** The tables libs/messaging needs in every service database, in order; list them before a service's own. */
export const messagingMigrations = [CreateMessagingTables1732500000000, CreateDeliveryAttempts1796200000000];
