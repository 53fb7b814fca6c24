import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The `notifications` table. UNIQUE(order_id) makes "one notification per terminal order" a database fact,
 * so a second event about the same order inserts nothing.
 */
export class CreateNotifications1732600000000 implements MigrationInterface {
  name = 'CreateNotifications1732600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE notifications (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_id        uuid NOT NULL UNIQUE,
        customer_id     text NOT NULL,
        type            text NOT NULL CHECK (type IN ('ORDER_CONFIRMED', 'ORDER_CANCELLED')),
        channel         text NOT NULL,
        status          text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
        subject         text NOT NULL,
        body            text NOT NULL,
        attempts        integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        last_error      text,
        created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
        sent_at         timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'PENDING'`,
    );
    await queryRunner.query(
      `CREATE INDEX notifications_by_customer ON notifications (customer_id, created_at DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE notifications`);
  }
}
