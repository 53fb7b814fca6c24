import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { queryPrepared, TransactionScope } from '@platform/persistence';
import { DataSource, EntityManager } from 'typeorm';

/** The PostgreSQL channel a commit notifies so relays wake without polling. */
export const OUTBOX_CHANNEL = 'outbox';

/** One row of the outbox: a message ready to publish, with the trace context of the work that wrote it. */
export interface OutboxRow {
  position: string;
  messageId: string;
  exchange: string;
  routingKey: string;
  type: string;
  schemaVersion: number;
  correlationId: string | null;
  causationId: string | null;
  traceContext: Record<string, string>;
  payload: string;
  createdAt: Date;
  attempts: number;
}

/** A message to write into the outbox within the caller's transaction. */
export type NewOutboxRow = Omit<OutboxRow, 'position' | 'createdAt' | 'attempts'>;

const columns = `position, message_id AS "messageId", exchange, routing_key AS "routingKey", type,
  schema_version AS "schemaVersion", correlation_id AS "correlationId", causation_id AS "causationId",
  trace_context AS "traceContext", payload, created_at AS "createdAt", attempts`;

/** SQL of the outbox table: insert within a transaction, claim batches for a relay, mark them, prune them. */
@Injectable()
export class OutboxStore {
  /** Sent with this process's NOTIFYs, so its own relay (woken after the commit anyway) can ignore them. */
  readonly writerId = randomUUID();

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionScope,
  ) {}

  /**
   * Inserts rows and notifies relays in one statement; both take effect only when the transaction commits.
   * One array parameter per column: any number of rows, under the 65535-parameter limit.
   */
  async insert(manager: EntityManager, rows: NewOutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    await queryPrepared(
      manager,
      `WITH inserted AS (
         INSERT INTO outbox (message_id, exchange, routing_key, type, schema_version, correlation_id, causation_id,
           trace_context, payload)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[],
           $8::jsonb[], $9::text[])
         RETURNING 1)
       SELECT pg_notify('${OUTBOX_CHANNEL}', $10) FROM (SELECT count(*) FROM inserted) AS written`,
      [
        rows.map((row) => row.messageId),
        rows.map((row) => row.exchange),
        rows.map((row) => row.routingKey),
        rows.map((row) => row.type),
        rows.map((row) => row.schemaVersion),
        rows.map((row) => row.correlationId),
        rows.map((row) => row.causationId),
        rows.map((row) => JSON.stringify(row.traceContext)),
        rows.map((row) => row.payload),
        this.writerId,
      ],
    );
  }

  /**
   * Claims up to `limit` due rows for this relay until `settle` resolves; rows claimed by another relay are
   * skipped, not waited for, so many replicas drain one outbox without publishing a row twice. The claim is a
   * transaction of its own (TransactionScope), so repositories called from `settle` take part in it.
   */
  async claimBatch<T>(
    limit: number,
    settle: (rows: OutboxRow[], manager: EntityManager) => Promise<T>,
  ): Promise<T> {
    return this.transactions.runAlone(async ({ manager }) => {
      const { rows } = await queryPrepared<OutboxRow>(
        manager,
        `SELECT ${columns} FROM outbox
          WHERE published_at IS NULL AND next_attempt_at <= clock_timestamp()
          ORDER BY position LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      return settle(rows, manager);
    });
  }

  /** Marks rows published; returns when each was, by position. */
  async markPublished(manager: EntityManager, positions: string[]): Promise<Map<string, Date>> {
    if (positions.length === 0) return new Map();
    const { rows } = await queryPrepared<{ position: string; published_at: Date }>(
      manager,
      `UPDATE outbox SET published_at = clock_timestamp() WHERE position = ANY($1::bigint[])
       RETURNING position, published_at`,
      [positions],
    );
    return new Map(rows.map((row) => [String(row.position), row.published_at]));
  }

  async markFailed(
    manager: EntityManager,
    positions: string[],
    error: string,
    delayMs: number,
  ): Promise<void> {
    if (positions.length === 0) return;
    await manager.query(
      `UPDATE outbox SET attempts = attempts + 1, last_error = $2,
          next_attempt_at = clock_timestamp() + make_interval(secs => least($3 * power(2, attempts), 30))
        WHERE position = ANY($1::bigint[])`,
      [positions, error.slice(0, 2000), delayMs / 1000],
    );
  }

  /** Makes rows that failed to publish due now, e.g. once the broker connection is back. */
  async retryNow(): Promise<void> {
    await this.dataSource.query(
      `UPDATE outbox SET next_attempt_at = clock_timestamp()
        WHERE published_at IS NULL AND next_attempt_at > clock_timestamp()`,
    );
  }

  /** Milliseconds the oldest unpublished row has waited, or undefined when none waits. */
  async oldestPendingAgeMs(): Promise<number | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT extract(epoch FROM clock_timestamp() - created_at) * 1000 AS age FROM outbox
        WHERE published_at IS NULL ORDER BY position LIMIT 1`,
    );
    return row ? Number(row.age) : undefined;
  }

  /** Rows not yet published, for the `outbox_pending_messages` gauge. */
  async countPending(): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS pending FROM outbox WHERE published_at IS NULL`,
    );
    return row.pending;
  }

  /** Deletes up to `limit` rows published before the cut-off; returns how many went. */
  async prunePublished(before: Date, limit: number): Promise<number> {
    const result = await this.dataSource.query(
      `DELETE FROM outbox WHERE position IN (
         SELECT position FROM outbox WHERE published_at < $1 ORDER BY published_at LIMIT $2)`,
      [before, limit],
    );
    return result[1] ?? 0;
  }
}
