/** Test helpers: start built services as real processes, wait for states, and poke RabbitMQ and PostgreSQL. */
export * from './wait-for';
export * from './service-process';
export * from './broker-probe';
export * from './database-probe';
export * from './http-client';
export * from './infrastructure';
export * from './platform';
export * from './otlp-receiver';
export * from './unused-port';
export * from './exit-cleanup';
export * from './private-rabbitmq';
export * from './private-postgres';
export * from './mail-catcher';
export * from './supervised-service';
