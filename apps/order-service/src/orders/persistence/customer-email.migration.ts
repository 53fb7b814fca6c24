import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The address the customer's token vouched for (its `email` claim), kept with the order so that its
 * notification goes there and nowhere else; null for orders placed without one.
 */
export class CustomerEmail1796500000000 implements MigrationInterface {
  name = 'CustomerEmail1796500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE orders ADD COLUMN customer_email text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE orders DROP COLUMN customer_email`);
  }
}
