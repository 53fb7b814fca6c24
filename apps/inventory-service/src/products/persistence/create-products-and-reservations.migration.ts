import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `products` with their stock, and `reservations`, the stock held per order. Skus sort bytewise
 * (COLLATE "C") so the product list and its cursor are the same on every server locale.
 */
export class CreateProductsAndReservations1732600000000 implements MigrationInterface {
  name = 'CreateProductsAndReservations1732600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE products (
        sku         text COLLATE "C" PRIMARY KEY,
        name        text NOT NULL,
        price_cents integer NOT NULL CHECK (price_cents >= 0),
        available   integer NOT NULL CHECK (available >= 0),
        reserved    integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE reservations (
        order_id   uuid PRIMARY KEY,
        status     text NOT NULL CHECK (status IN ('RESERVED', 'RELEASED', 'SETTLED')),
        lines      jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE reservations`);
    await queryRunner.query(`DROP TABLE products`);
  }
}
