import { EventEmitter } from 'node:events';
import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ServiceConfig } from '@platform/config';
import { DataSource, MixedList } from 'typeorm';
import { DatabaseHealth } from './database-health';
import { ensureDatabase } from './ensure-database';
import { withMigrationLock } from './migration-lock';
import { TransactionScope } from './transaction-scope';

/** What a service hands to PersistenceModule: its TypeORM entities and migrations, in order. */
export interface PersistenceOptions {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
}

/**
 * Builds a data source for one service database; the database is created if missing, then migrated under a
 * lock, so any number of replicas may start together. Migrations run over `migrationUrl`, on a connection of
 * their own, as the role that owns the schema; the pool the service keeps uses `url`, which in a deployment
 * is a role that may only read and write rows (deploy/postgres/service-roles.sql). Both may be the same.
 */
export async function openDataSource(
  url: string,
  options: PersistenceOptions,
  poolSize = 10,
  migrationUrl = url,
): Promise<DataSource> {
  const migrationVariable = migrationUrl === url ? 'DATABASE_URL' : 'DATABASE_MIGRATION_URL';
  await naming(migrationVariable, migrationUrl, 'creating and migrating the database', async () => {
    await ensureDatabase(migrationUrl);
    await migrate(migrationUrl, options, url);
  });
  const dataSource = new DataSource({
    ...connectionOptions(url),
    entities: options.entities,
    extra: {
      ...connectionOptions(url).extra,
      max: poolSize,
    },
  });
  await naming('DATABASE_URL', url, 'connecting', () => dataSource.initialize());
  // A pool whose idle connection dies (database restart) emits 'error'; without a listener the process exits.
  const pool = (dataSource.driver as unknown as { master?: NodeJS.EventEmitter }).master;
  pool?.on('error', (error: Error) => new Logger('Database').warn(`idle connection lost: ${error.message}`));
  return dataSource;
}

/**
 * Runs the pending migrations as the migration role, one replica at a time. When the service runs as another
 * role, the migration role then grants it what it needs (grantRuntimeRole), so a database whose only setup
 * was its owner (a CloudNativePG `Database`, deploy/k8s) works as well as one made by service-roles.sql.
 */
async function migrate(migrationUrl: string, options: PersistenceOptions, runtimeUrl: string): Promise<void> {
  const migrator = new DataSource({
    ...connectionOptions(migrationUrl),
    migrations: options.migrations,
    migrationsTransactionMode: 'each',
    extra: { ...connectionOptions(migrationUrl).extra, max: 1 },
  });
  await migrator.initialize();
  try {
    const runtimeRole = decodeURIComponent(new URL(runtimeUrl).username);
    const migrationRole = decodeURIComponent(new URL(migrationUrl).username);
    // Under the lock too: concurrent GRANTs on one object fail ("tuple concurrently updated").
    await withMigrationLock(migrationUrl, async () => {
      await migrator.runMigrations({ transaction: 'each' });
      if (runtimeRole && runtimeRole !== migrationRole) await grantRuntimeRole(migrator, runtimeRole);
    });
  } finally {
    await migrator.destroy();
  }
}

/**
 * The runtime role's rights, granted by the migration role after each migration run (idempotent): rows of
 * every table in `public` (read, insert, update, delete), its sequences, and nothing of TypeORM's `migrations`
 * table but reading it, so it cannot mark a migration as run. When the migration role owns the database, only
 * the runtime role may connect besides it (PUBLIC's default CONNECT and TEMPORARY are revoked), so another
 * service's runtime role cannot open this database.
 */
async function grantRuntimeRole(migrator: DataSource, runtimeRole: string): Promise<void> {
  const runtime = `"${runtimeRole.replace(/"/g, '""')}"`;
  await migrator.transaction(async (manager) => {
    await manager.query(`GRANT USAGE ON SCHEMA public TO ${runtime}`);
    await manager.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${runtime}`);
    await manager.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${runtime}`);
    await manager.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON TABLE migrations FROM ${runtime}`);
    const [{ owner, database }] = (await manager.query(
      `SELECT pg_get_userbyid(datdba) = current_user AS owner, quote_ident(datname) AS database
         FROM pg_database WHERE datname = current_database()`,
    )) as Array<{ owner: boolean; database: string }>;
    if (owner) {
      await manager.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${database} FROM PUBLIC`);
      await manager.query(`GRANT CONNECT ON DATABASE ${database} TO ${runtime}`);
    }
  });
}

/** Runs a start-up step; its failure says which variable, role and database it was about (no password). */
async function naming<T>(variable: string, url: string, step: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const { username, host, pathname } = new URL(url);
    const role = decodeURIComponent(username) || 'the default role';
    throw new Error(
      `${variable}: ${step} as ${role} on ${host}${pathname} failed: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

function connectionOptions(url: string) {
  return {
    type: 'postgres' as const,
    url,
    synchronize: false,
    extra: {
      connectionTimeoutMillis: 5000,
      // pg-pool hands a new connection over from inside the network read that completed it, and TypeORM
      // listens for its errors only a moment later; an error in the same read (the server ending the
      // connection at once, as in a restart) would be an unhandled 'error' event that ends the process.
      // This listener stays for the connection's life; a query on it then fails as unavailable.
      onConnect: (connection: EventEmitter) => void connection.on('error', () => undefined),
    },
  };
}

/**
 * The service's database: created if missing, migrated at start (never `synchronize`), closed last on shutdown.
 * Exposes DataSource, TransactionScope and DatabaseHealth to the whole application.
 */
@Global()
@Module({})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  static forRoot(options: PersistenceOptions): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [
        {
          provide: DataSource,
          inject: [ServiceConfig],
          useFactory: (config: ServiceConfig) =>
            openDataSource(config.databaseUrl, options, config.databasePoolSize, config.databaseMigrationUrl),
        },
        TransactionScope,
        DatabaseHealth,
      ],
      exports: [DataSource, TransactionScope, DatabaseHealth],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
