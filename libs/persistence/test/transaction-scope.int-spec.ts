import { context, createContextKey } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { DataSource } from 'typeorm';
import { isDatabaseUnavailable, openDataSource, TransactionScope } from '@platform/persistence';
import { databaseUrl, dropDatabase, query, sleep, uniqueSuffix } from '@platform/testing';

describe('a transaction scope on the real database', () => {
  const database = `persistence_scope_${uniqueSuffix()}`;
  let dataSource: DataSource;
  let scope: TransactionScope;

  beforeAll(async () => {
    dataSource = await openDataSource(databaseUrl(database), { entities: [], migrations: [] });
    await dataSource.query(`CREATE TABLE notes (text text PRIMARY KEY)`);
    scope = new TransactionScope(dataSource);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await dropDatabase(database);
  });

  const notes = async () =>
    (await query<{ text: string }>(database, `SELECT text FROM notes ORDER BY text`)).map((row) => row.text);

  describe('when the work succeeds', () => {
    it('commits it, then runs the after-commit hooks', async () => {
      const seen: string[][] = [];
      await scope.run(async (transaction) => {
        await transaction.manager.query(`INSERT INTO notes VALUES ('committed')`);
        transaction.afterCommit(() => void notes().then((rows) => seen.push(rows)));
      });
      await sleep(100);
      expect(seen).toEqual([['committed']]);
    });
  });

  describe('when work asks to hear of the commit', () => {
    const step = createContextKey('step');
    beforeAll(() => context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()));
    afterAll(() => context.disable());

    it('calls it after the commit, in the trace context it asked from', async () => {
      const heard: unknown[] = [];
      await context.with(context.active().setValue(step, 'request'), () =>
        scope.run(async (transaction) => {
          await transaction.manager.query(`INSERT INTO notes VALUES ('heard')`);
          await context.with(context.active().setValue(step, 'timed out order'), async () =>
            scope.whenCommitted(() => heard.push(context.active().getValue(step))),
          );
          expect(heard).toEqual([]);
        }),
      );
      expect(heard).toEqual(['timed out order']);
    });

    it('never calls it when the transaction rolls back', async () => {
      const heard: string[] = [];
      await expect(
        scope.run(async () => {
          scope.whenCommitted(() => heard.push('committed'));
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(heard).toEqual([]);
    });

    it('calls it at once outside a transaction', () => {
      const heard: string[] = [];
      scope.whenCommitted(() => heard.push('now'));
      expect(heard).toEqual(['now']);
    });
  });

  describe('when the work fails', () => {
    it('rolls everything back and rejects with the work’s own error', async () => {
      const failure = new Error('the work failed');
      await expect(
        scope.run(async (transaction) => {
          await transaction.manager.query(`INSERT INTO notes VALUES ('rolled back')`);
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await notes()).not.toContain('rolled back');
    });
  });

  describe('when the database ends its connection between two queries of the transaction', () => {
    it('rejects with the connection’s own error, which tells the database is unavailable', async () => {
      const outcome = scope.run(async (transaction) => {
        await transaction.manager.query(`INSERT INTO notes VALUES ('lost')`);
        const [{ pid }] = await transaction.manager.query(`SELECT pg_backend_pid() AS pid`);
        await query('postgres', `SELECT pg_terminate_backend($1)`, [pid]);
        // Let the connection's error arrive while the transaction is idle, as in a restart between two queries.
        await sleep(200);
        await transaction.manager.query(`SELECT 1`);
      });

      const error = await outcome.then(
        () => undefined,
        (rejection: unknown) => rejection,
      );
      expect(error).toMatchObject({ code: '57P01' });
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(await notes()).not.toContain('lost');
    });

    it('serves the next transaction on a fresh connection', async () => {
      await scope.run(async (transaction) => transaction.manager.query(`INSERT INTO notes VALUES ('after')`));
      expect(await notes()).toContain('after');
    });
  });
});
