import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * SQL of `delivery_attempts`: each statement commits on its own, so the record of a started attempt
 * survives the crash of the process that was handling the message.
 */
@Injectable()
export class DeliveryAttemptsStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Records that handling starts; returns how many earlier attempts never finished (the process died). */
  async start(consumer: string, messageId: string): Promise<number> {
    const [row] = await this.dataSource.query(
      `INSERT INTO delivery_attempts (consumer, message_id, unfinished) VALUES ($1, $2, 1)
       ON CONFLICT (consumer, message_id) DO UPDATE
         SET unfinished = delivery_attempts.unfinished + 1, started_at = clock_timestamp()
       RETURNING unfinished`,
      [consumer, messageId],
    );
    return Number(row.unfinished) - 1;
  }

  /** Handling ended, whatever its outcome: nothing is unfinished any more. */
  async finish(consumer: string, messageId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM delivery_attempts WHERE consumer = $1 AND message_id = $2`, [
      consumer,
      messageId,
    ]);
  }

  /** Deletes up to `limit` records of attempts started before the cut-off; returns how many went. */
  async prune(before: Date, limit: number): Promise<number> {
    const result = await this.dataSource.query(
      `DELETE FROM delivery_attempts WHERE (consumer, message_id) IN (
         SELECT consumer, message_id FROM delivery_attempts WHERE started_at < $1 ORDER BY started_at LIMIT $2)`,
      [before, limit],
    );
    return result[1] ?? 0;
  }
}
