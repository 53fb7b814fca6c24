import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox (messages waiting to be published) and the inbox (messages already handled), one pair per
 * service database. Every service lists this migration first among its own.
 */
export class CreateMessagingTables1732500000000 implements MigrationInterface {
  name = 'CreateMessagingTables1732500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbox (
        position        bigserial PRIMARY KEY,
        message_id      uuid NOT NULL UNIQUE,
        exchange        text NOT NULL,
        routing_key     text NOT NULL,
        type            text NOT NULL,
        schema_version  integer NOT NULL,
        correlation_id  text,
        causation_id    text,
        trace_context   jsonb NOT NULL DEFAULT '{}',
        payload         text NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
        published_at    timestamptz,
        attempts        integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        last_error      text
      )`);
    await queryRunner.query(`CREATE INDEX outbox_pending ON outbox (position) WHERE published_at IS NULL`);
    await queryRunner.query(
      `CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE inbox (
        consumer    text NOT NULL,
        message_id  uuid NOT NULL,
        type        text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (consumer, message_id)
      )`);
    await queryRunner.query(`CREATE INDEX inbox_received_at ON inbox (received_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE inbox`);
    await queryRunner.query(`DROP TABLE outbox`);
  }
}
