/**
 * RabbitMQ messaging for @nestjs/cqrs services: topology, transactional outbox and relay, inbox,
 * retries with backoff, dead-lettering and trace propagation. Business code only sees UnitOfWork.
 */
export * from './messaging.module';
export * from './messaging-health';
export * from './unit-of-work';
export * from './outbox/outbox-relay';
export * from './trace-context';
export * from './outbox/outbox';
export * from './broker/broker-connection';
export * from './broker/publisher-connection';
export * from './broker/consumer-connection';
export * from './broker/publish-confirmed';
export * from './broker/broker-user';
export * from './broker/topology';
export * from './consumer/message-consumer';
export * from './consumer/failure-headers';
export { currentDelivery, PUBLISHED_AT_HEADER } from './consumer/delivery-context';
export * from './persistence/messaging-tables.migration';
export * from './persistence/messaging-migrations';
export * from './cli/dead-letters';
export { declareSystemTopology } from './broker/declare-topology';
export { brokerDefinitions } from './broker/broker-definitions';
