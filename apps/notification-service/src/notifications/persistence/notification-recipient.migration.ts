import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where a notification may be mailed: the address the customer's token vouched for, carried by the order's
 * events. Null when there was none, and then it is not mailed (before, an id that looked like an address was
 * mailed to, which let anyone send mail anywhere).
 */
export class NotificationRecipient1796500000000 implements MigrationInterface {
  name = 'NotificationRecipient1796500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notifications ADD COLUMN recipient text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notifications DROP COLUMN recipient`);
  }
}
