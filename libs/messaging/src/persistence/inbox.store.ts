import { Injectable } from '@nestjs/common';
import { queryPrepared } from '@platform/persistence';
import { DataSource, EntityManager } from 'typeorm';

/** SQL of the inbox table: the ids of messages a consumer has already handled. */
@Injectable()
export class InboxStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records the message within the caller's transaction. Returns false when it was recorded before: a
   * concurrent duplicate waits on the primary key until the first commits, then sees it.
   */
  async record(manager: EntityManager, consumer: string, messageId: string, type: string): Promise<boolean> {
    const { rowCount } = await queryPrepared(
      manager,
      `INSERT INTO inbox (consumer, message_id, type) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING message_id`,
      [consumer, messageId, type],
    );
    return rowCount === 1;
  }

  /** Deletes up to `limit` records received before the cut-off; returns how many went. */
  async prune(before: Date, limit: number): Promise<number> {
    const result = await this.dataSource.query(
      `DELETE FROM inbox WHERE (consumer, message_id) IN (
         SELECT consumer, message_id FROM inbox WHERE received_at < $1 ORDER BY received_at LIMIT $2)`,
      [before, limit],
    );
    return result[1] ?? 0;
  }
}
