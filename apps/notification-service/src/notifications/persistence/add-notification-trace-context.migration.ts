import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `notifications.trace_context`: the W3C trace context of the event that recorded a notification, so its
 * delivery, which a timer starts later, is a span (and log lines) of the order's own trace.
 */
export class AddNotificationTraceContext1733000000000 implements MigrationInterface {
  name = 'AddNotificationTraceContext1733000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notifications ADD COLUMN trace_context jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notifications DROP COLUMN trace_context`);
  }
}
