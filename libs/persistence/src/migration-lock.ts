import { Logger } from '@nestjs/common';
import { Client } from 'pg';

/** One advisory lock per database (PostgreSQL scopes advisory locks to the database they are taken in). */
const LOCK_KEY_SQL = `hashtextextended('platform:migrations', 0)`;

/**
 * Runs `work` (the migrations) while holding a PostgreSQL advisory lock on a connection of its own, so
 * replicas that start together on one database migrate it one after the other: the first runs the pending
 * migrations, the others wait and then find nothing left to run. The lock is a session lock, so it goes
 * with the connection if this process dies mid-way.
 */
export async function withMigrationLock<T>(databaseUrl: string, work: () => Promise<T>): Promise<T> {
  const logger = new Logger('Migrations');
  const client = new Client({ connectionString: databaseUrl });
  // A connection lost while holding the lock fails the migrations' own queries; the event must not crash.
  client.on('error', (error: Error) => logger.warn(`migration lock connection lost: ${error.message}`));
  await client.connect();
  try {
    const [{ locked }] = (await client.query(`SELECT pg_try_advisory_lock(${LOCK_KEY_SQL}) AS locked`))
      .rows as Array<{ locked: boolean }>;
    if (!locked) {
      logger.log('another replica is migrating the database; waiting for it');
      await client.query(`SELECT pg_advisory_lock(${LOCK_KEY_SQL})`);
    }
    try {
      return await work();
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${LOCK_KEY_SQL})`).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}
