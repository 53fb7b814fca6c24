import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payments, one per order ever (`order_id` is unique): the constraint, not the code, is what makes a
 * second charge of an order impossible, even under concurrent duplicate requests.
 */
export class CreatePayments1732510000001 implements MigrationInterface {
  name = 'CreatePayments1732510000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE payments (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_id     uuid NOT NULL UNIQUE,
        customer_id  text NOT NULL,
        amount_cents bigint NOT NULL CHECK (amount_cents >= 0),
        status       text NOT NULL CHECK (status IN ('CAPTURED', 'DECLINED', 'REFUNDED')),
        reason       text CHECK (reason IN ('INSUFFICIENT_CREDIT', 'EXPIRED')),
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'DECLINED') = (reason IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX payments_by_customer ON payments (customer_id, created_at DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE payments`);
  }
}
