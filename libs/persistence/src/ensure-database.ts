import { Client } from 'pg';

const DATABASE_DOES_NOT_EXIST = '3D000';
const DUPLICATE_DATABASE = '42P04';
const UNIQUE_VIOLATION = '23505';

/**
 * Creates the service's database if it does not exist yet. It first tries the database itself, so a role
 * that may only open its own (already created) database never needs to reach the `postgres` database.
 */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const target = new Client({ connectionString: databaseUrl });
  try {
    await target.connect();
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== DATABASE_DOES_NOT_EXIST) throw error;
  } finally {
    await target.end().catch(() => undefined);
  }
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } catch (error) {
    // Another replica of the same service may have created it a moment ago.
    const code = (error as { code?: string }).code;
    if (code !== DUPLICATE_DATABASE && code !== UNIQUE_VIOLATION) throw error;
  } finally {
    await admin.end();
  }
}
