import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `outbox.claimed_until`: the lease a relay takes on the rows it is publishing. A claim is one statement
 * that commits at once, so no row lock is held while RabbitMQ confirms; other relays skip leased rows, and
 * rows of a relay that died mid-batch are free again once the lease has run out.
 */
export class AddOutboxClaims1796900000000 implements MigrationInterface {
  name = 'AddOutboxClaims1796900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox ADD COLUMN claimed_until timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox DROP COLUMN claimed_until`);
  }
}
