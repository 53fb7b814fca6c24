/** Test helpers: start built services as real processes, wait for states, and poke RabbitMQ and PostgreSQL. */
export * from './wait-for';
export * from './free-port';
export * from './service-process';
export * from './fixture-process';
export * from './broker-probe';
export * from './database-probe';
export * from './http-client';
export * from './infrastructure';
export * from './platform';
export * from './otlp-receiver';
export * from './tcp-proxy';
export * from './hostile-input';
