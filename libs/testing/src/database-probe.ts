import { Client } from 'pg';

/** The local PostgreSQL server tests run against; override with TEST_POSTGRES_URL. */
export const testPostgresUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';

/** A database of the test server, as its superuser or, when given, as another login role of it. */
export function databaseUrl(name: string, role?: string): string {
  const url = new URL(`${testPostgresUrl}/${name}`);
  if (role !== undefined) {
    url.username = encodeURIComponent(role);
    url.password = '';
  }
  return url.toString();
}

/** Runs one query against a database of the test server and closes the connection. */
export function query<T = Record<string, unknown>>(
  database: string,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  return queryDatabase<T>(databaseUrl(database), sql, values);
}

/** Runs one query against the database at `url` and closes the connection. */
export async function queryDatabase<T = Record<string, unknown>>(
  url: string,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: url });
  // An unreachable server is the caller's to report: without a listener its error would crash the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Drops a test database, disconnecting whoever is still on it. */
export async function dropDatabase(name: string): Promise<void> {
  await query('postgres', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

export async function databaseExists(name: string): Promise<boolean> {
  const rows = await query('postgres', 'SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return rows.length === 1;
}
