/**
 * RabbitMQ messaging for @nestjs/cqrs services: topology, transactional outbox and relay, inbox,
 * retries with backoff, dead-lettering and trace propagation. Business code only sees UnitOfWork.
 */
export * from './messaging.module';
export * from './unit-of-work';
export * from './outbox/outbox-relay';
export * from './trace-context';
export * from './outbox/outbox';
export * from './broker/broker-connection';
export * from './broker/topology';
export * from './consumer/message-consumer';
export * from './persistence/messaging-tables.migration';
export * from './cli/dead-letters';
