import { DataSource } from 'typeorm';
import { openDataSource, queryPrepared, TransactionScope } from '@platform/persistence';
import { databaseUrl, dropDatabase, query, uniqueSuffix } from '@platform/testing';

describe('prepared queries on the real database', () => {
  const database = `persistence_prepared_${uniqueSuffix()}`;
  let dataSource: DataSource;
  let scope: TransactionScope;
  const insert = `INSERT INTO notes (text) VALUES ($1) ON CONFLICT DO NOTHING RETURNING text`;

  beforeAll(async () => {
    dataSource = await openDataSource(databaseUrl(database), { entities: [], migrations: [] });
    await dataSource.query(`CREATE TABLE notes (text text PRIMARY KEY)`);
    scope = new TransactionScope(dataSource);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await dropDatabase(database);
  });

  it('runs in the open transaction, as a statement prepared once on its connection', async () => {
    const prepared = await scope.run(async ({ manager }) => {
      const first = await queryPrepared<{ text: string }>(manager, insert, ['first']);
      const again = await queryPrepared(manager, insert, ['first']);
      const second = await queryPrepared(manager, insert, ['second']);
      expect(first).toEqual({ rows: [{ text: 'first' }], rowCount: 1 });
      expect(again).toEqual({ rows: [], rowCount: 0 });
      expect(second.rowCount).toBe(1);
      return manager.query(
        `SELECT statement FROM pg_prepared_statements WHERE statement LIKE 'INSERT INTO notes%'`,
      );
    });
    expect(prepared).toHaveLength(1);
  });

  it('rolls back with the transaction it ran in', async () => {
    await expect(
      scope.run(async ({ manager }) => {
        await queryPrepared(manager, insert, ['rolled back']);
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    expect(await query(database, `SELECT 1 FROM notes WHERE text = 'rolled back'`)).toHaveLength(0);
  });

  it('runs on a pooled connection outside a transaction, with pg errors that keep their SQLSTATE', async () => {
    expect((await queryPrepared(dataSource.manager, insert, ['pooled'])).rowCount).toBe(1);
    await expect(
      queryPrepared(dataSource.manager, `INSERT INTO notes (text) VALUES ($1)`, ['pooled']),
    ).rejects.toMatchObject({ code: '23505' });
  });

  it('refuses a query runner that was already released', async () => {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.release();
    await expect(queryPrepared(runner.manager, insert, ['late'])).rejects.toThrow(/released/);
  });
});
