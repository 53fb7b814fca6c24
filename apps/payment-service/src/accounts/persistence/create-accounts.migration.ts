import { MigrationInterface, QueryRunner } from 'typeorm';

/** Customers' remaining credit; the check makes a negative balance impossible whatever the code does. */
export class CreateAccounts1732510000000 implements MigrationInterface {
  name = 'CreateAccounts1732510000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE accounts (
        customer_id  text PRIMARY KEY,
        credit_cents bigint NOT NULL CHECK (credit_cents >= 0),
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE accounts`);
  }
}
