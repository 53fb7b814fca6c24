import { MigrationInterface, QueryRunner } from 'typeorm';
import { openDataSource } from '@platform/persistence';
import { databaseUrl, dropDatabase, query, uniqueSuffix } from '@platform/testing';

/** A migration slow enough that replicas starting together overlap while it runs. */
class CreateWidgets1700000000000 implements MigrationInterface {
  name = 'CreateWidgets1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE widgets (id integer PRIMARY KEY)`);
    await queryRunner.query(`SELECT pg_sleep(0.3)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE widgets`);
  }
}

/** Counts its own runs in a table that survives a second run, so running twice shows instead of failing. */
class CountRuns1700000000001 implements MigrationInterface {
  name = 'CountRuns1700000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE IF NOT EXISTS migration_runs (at timestamptz DEFAULT now())`);
    await queryRunner.query(`INSERT INTO migration_runs DEFAULT VALUES`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE migration_runs`);
  }
}

const options = {
  entities: [],
  migrations: [CreateWidgets1700000000000, CountRuns1700000000001],
  poolSize: 2,
};

describe('opening the data source of a service', () => {
  describe('when several replicas start together on a database that does not exist yet', () => {
    const database = `persistence_replicas_${uniqueSuffix()}`;
    afterAll(() => dropDatabase(database));

    it('brings every replica up and runs each migration once', async () => {
      const opened = await Promise.allSettled(
        Array.from({ length: 6 }, () => openDataSource(databaseUrl(database), options)),
      );
      try {
        expect(opened.filter((result) => result.status === 'rejected')).toEqual([]);
        const applied = await query<{ name: string }>(database, `SELECT name FROM migrations ORDER BY id`);
        expect(applied.map((row) => row.name)).toEqual([
          'CreateWidgets1700000000000',
          'CountRuns1700000000001',
        ]);
        expect(await query(database, `SELECT count(*)::int AS runs FROM migration_runs`)).toEqual([
          { runs: 1 },
        ]);
      } finally {
        for (const result of opened) if (result.status === 'fulfilled') await result.value.destroy();
      }
    });
  });

  describe('when a replica starts on a database another one has migrated', () => {
    const database = `persistence_restart_${uniqueSuffix()}`;
    afterAll(() => dropDatabase(database));

    it('runs nothing again', async () => {
      await (await openDataSource(databaseUrl(database), options)).destroy();
      await (await openDataSource(databaseUrl(database), options)).destroy();

      expect(await query(database, `SELECT count(*)::int AS runs FROM migration_runs`)).toEqual([
        { runs: 1 },
      ]);
    });
  });
});
