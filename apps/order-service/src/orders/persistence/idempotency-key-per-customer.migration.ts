import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An Idempotency-Key belongs to the customer who sent it: two customers may use the same key, and one
 * customer's key neither finds nor blocks another's order (before, keys were unique across customers).
 */
export class IdempotencyKeyPerCustomer1796400000000 implements MigrationInterface {
  name = 'IdempotencyKeyPerCustomer1796400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE orders
        DROP CONSTRAINT orders_idempotency_key_key,
        ADD CONSTRAINT orders_customer_idempotency_key UNIQUE (customer_id, idempotency_key)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE orders
        DROP CONSTRAINT orders_customer_idempotency_key,
        ADD CONSTRAINT orders_idempotency_key_key UNIQUE (idempotency_key)`);
  }
}
