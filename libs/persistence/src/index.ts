/** PostgreSQL access for every service: database creation, the TypeORM data source, migrations and transactions. */
export * from './ensure-database';
export * from './persistence.module';
export * from './transaction-scope';
export * from './database-health';
export * from './transient-error';
export * from './prepared-query';
