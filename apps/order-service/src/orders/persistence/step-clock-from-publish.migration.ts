import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A pending order's step deadline may be unset: its clock starts when the step's command is published, and
 * until then the command is still in the outbox (RabbitMQ may be away). Only a pending order has a deadline.
 */
export class StepClockFromPublish1796300000000 implements MigrationInterface {
  name = 'StepClockFromPublish1796300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE orders
        DROP CONSTRAINT orders_check,
        ADD CONSTRAINT orders_pending_has_a_step CHECK ((status = 'PENDING') = (step IS NOT NULL)),
        ADD CONSTRAINT orders_deadline_only_while_pending CHECK (step_deadline IS NULL OR status = 'PENDING')`);
    await queryRunner.query(
      `COMMENT ON COLUMN orders.step_deadline IS 'set when the step''s command is published; null before'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE orders SET step_deadline = updated_at WHERE status = 'PENDING' AND step_deadline IS NULL`,
    );
    await queryRunner.query(`
      ALTER TABLE orders
        DROP CONSTRAINT orders_pending_has_a_step,
        DROP CONSTRAINT orders_deadline_only_while_pending,
        ADD CONSTRAINT orders_check CHECK ((status = 'PENDING') = (step IS NOT NULL AND step_deadline IS NOT NULL))`);
  }
}
