import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import { Injectable } from '@nestjs/common';
import { context } from '@opentelemetry/api';
import { DataSource, EntityManager } from 'typeorm';

/** One open database transaction and the work to do just before and just after it commits. */
export interface Transaction {
  readonly manager: EntityManager;
  /** Runs inside the transaction, after the caller's work; a failure rolls everything back. */
  beforeCommit(hook: () => Promise<void>): void;
  /** Runs once the transaction has committed; failures are logged by the hook's owner, never rolled back. */
  afterCommit(hook: () => void): void;
}

interface OpenTransaction extends Transaction {
  readonly beforeHooks: Array<() => Promise<void>>;
  readonly afterHooks: Array<() => void>;
}

/**
 * Runs work in one transaction per async call chain (AsyncLocalStorage): nested calls join the open
 * transaction instead of starting their own, so a message's inbox record, the handler's writes and the
 * outbox rows it produces commit together or not at all. Repositories read `manager` to take part.
 */
@Injectable()
export class TransactionScope {
  private readonly storage = new AsyncLocalStorage<OpenTransaction>();

  constructor(private readonly dataSource: DataSource) {}

  /** The open transaction's manager, or the data source's own manager outside a transaction. */
  get manager(): EntityManager {
    return this.storage.getStore()?.manager ?? this.dataSource.manager;
  }

  /** The open transaction, if the caller runs inside one. */
  get current(): Transaction | undefined {
    return this.storage.getStore();
  }

  /**
   * Runs `hook` once the open transaction has committed, and not at all if it rolls back; at once outside a
   * transaction. The hook runs in the trace context of the caller, so a log line it writes carries the trace
   * of the work that committed (a timed-out order's span, say), not of whoever opened the transaction.
   */
  whenCommitted(hook: () => void): void {
    const transaction = this.storage.getStore();
    if (!transaction) return hook();
    transaction.afterCommit(context.bind(context.active(), hook));
  }

  /** Runs `work` in a transaction of its own, even when called from inside another one. */
  runAlone<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    return this.storage.exit(() => this.run(work));
  }

  /** Runs `work` in the open transaction, or in a new one that commits when `work` resolves. */
  async run<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    const open = this.storage.getStore();
    if (open) return work(open);
    const afterHooks: Array<() => void> = [];
    const result = await this.inNewTransaction(async (manager) => {
      const transaction: OpenTransaction = {
        manager,
        beforeHooks: [],
        afterHooks,
        beforeCommit: (hook) => transaction.beforeHooks.push(hook),
        afterCommit: (hook) => afterHooks.push(hook),
      };
      return this.storage.run(transaction, async () => {
        const value = await work(transaction);
        for (const hook of transaction.beforeHooks) await hook();
        return value;
      });
    });
    for (const hook of afterHooks) hook();
    return result;
  }

  /**
   * Begin, work, commit on one pooled connection; on failure, roll back and reject with the failure's cause.
   * When the connection dies mid-transaction (a database restart), TypeORM releases it and the work's next
   * query, or the rollback, fails with "query runner already released", which says nothing about why; so
   * the connection's own error is kept and thrown instead, and callers see an unavailable database.
   */
  private async inNewTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    let lost: unknown;
    const keepConnectionError = (error: unknown) => (lost ??= error);
    let connection: EventEmitter | undefined;
    try {
      connection = (await runner.connect()) as EventEmitter;
      connection.on('error', keepConnectionError);
      await runner.startTransaction();
      const value = await work(runner.manager);
      await runner.commitTransaction();
      return value;
    } catch (error) {
      // A rollback that fails too (the connection is gone) must not hide why the work failed.
      if (runner.isTransactionActive && !runner.isReleased)
        await runner.rollbackTransaction().catch(() => undefined);
      throw lost ?? error;
    } finally {
      connection?.removeListener('error', keepConnectionError);
      await runner.release().catch(() => undefined);
    }
  }
}
