import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `delivery_attempts`: redelivered messages whose handling has started and not finished. A row left behind
 * means the process died while handling that message, so a message that crashes its consumer every time
 * can be told from one that was only redelivered after a reconnect.
 */
export class CreateDeliveryAttempts1796200000000 implements MigrationInterface {
  name = 'CreateDeliveryAttempts1796200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE delivery_attempts (
        consumer    text NOT NULL,
        message_id  uuid NOT NULL,
        unfinished  integer NOT NULL,
        started_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (consumer, message_id)
      )`);
    await queryRunner.query(`CREATE INDEX delivery_attempts_started_at ON delivery_attempts (started_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE delivery_attempts`);
  }
}
