/**
 * The hot statements of the services as named prepared statements: PostgreSQL parses and plans each one once
 * per connection instead of on every call, as it must for the unnamed statements TypeORM sends. For short
 * INSERTs and UPDATEs by key that is about a quarter of PostgreSQL's work (pgbench, docs/benchmarks.md).
 */
import { createHash } from 'node:crypto';
import { EntityManager, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** What a pg Client or Pool answers a query with. */
export interface PreparedResult<Row> {
  rows: Row[];
  rowCount: number;
}

interface PgQueryable {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{
    rows: unknown[];
    rowCount: number | null;
  }>;
}

const statementNames = new Map<string, string>();

/** One name per statement text, the same in every process (pg refuses one name for two texts). */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `p_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * Runs `text` with `values` on the connection of the manager's transaction (TransactionScope's manager), or
 * on a pooled connection when the manager has none, as a prepared statement. Errors are pg's own, with
 * their SQLSTATE `code`.
 */
export async function queryPrepared<Row = Record<string, unknown>>(
  manager: EntityManager,
  text: string,
  values: unknown[],
): Promise<PreparedResult<Row>> {
  const runner = manager.queryRunner;
  if (runner?.isReleased) throw new QueryRunnerAlreadyReleasedError();
  const pool = (manager.connection.driver as PostgresDriver).master;
  const target = (runner ? await runner.connect() : pool) as PgQueryable;
  const result = await target.query({ name: statementName(text), text, values });
  return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
}
