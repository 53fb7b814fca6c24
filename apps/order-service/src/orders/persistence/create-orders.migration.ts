import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `orders` (the saga's persisted state: status, current step and its deadline, and the trace the order
 * belongs to), their `order_lines` and `order_history`. Money is stored in integer cents.
 */
export class CreateOrders1732600000000 implements MigrationInterface {
  name = 'CreateOrders1732600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE orders (
        id                  uuid PRIMARY KEY,
        customer_id         text NOT NULL,
        status              text NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'CANCELLED')),
        cancellation_reason text CHECK (
          cancellation_reason IN ('OUT_OF_STOCK', 'UNKNOWN_PRODUCT', 'PAYMENT_DECLINED', 'TIMEOUT')),
        step                text CHECK (step IN ('RESERVING_STOCK', 'CHARGING_PAYMENT')),
        step_deadline       timestamptz,
        total               bigint CHECK (total >= 0),
        idempotency_key     text UNIQUE,
        request_fingerprint text,
        trace_context       jsonb NOT NULL DEFAULT '{}',
        created_at          timestamptz NOT NULL,
        updated_at          timestamptz NOT NULL,
        CHECK ((status = 'PENDING') = (step IS NOT NULL AND step_deadline IS NOT NULL)),
        CHECK ((status = 'CANCELLED') = (cancellation_reason IS NOT NULL))
      )`);
    await queryRunner.query(
      `COMMENT ON COLUMN orders.total IS 'cents; null until inventory has priced the lines'`,
    );
    await queryRunner.query(
      `COMMENT ON COLUMN orders.trace_context IS 'W3C trace context of the request that placed the order'`,
    );
    await queryRunner.query(
      `CREATE INDEX orders_by_customer_newest_first ON orders (customer_id, created_at DESC, id DESC)`,
    );
    // Only pending orders have a deadline to watch, so the timeout watcher's index stays small.
    await queryRunner.query(
      `CREATE INDEX orders_pending_by_step_deadline ON orders (step_deadline) WHERE status = 'PENDING'`,
    );
    await queryRunner.query(`
      CREATE TABLE order_lines (
        order_id   uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        line_no    smallint NOT NULL CHECK (line_no > 0),
        sku        text NOT NULL,
        quantity   integer NOT NULL CHECK (quantity > 0),
        unit_price bigint CHECK (unit_price >= 0),
        PRIMARY KEY (order_id, line_no)
      )`);
    await queryRunner.query(
      `COMMENT ON COLUMN order_lines.unit_price IS 'cents; null until inventory has priced the line'`,
    );
    // Each milestone happens once per order; the unique key makes a second one an error, not a quiet duplicate.
    await queryRunner.query(`
      CREATE TABLE order_history (
        id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        entry    text NOT NULL,
        at       timestamptz NOT NULL,
        UNIQUE (order_id, entry)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE order_history`);
    await queryRunner.query(`DROP TABLE order_lines`);
    await queryRunner.query(`DROP TABLE orders`);
  }
}
