import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
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

  /** Runs `work` in the open transaction, or in a new one that commits when `work` resolves. */
  async run<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    const open = this.storage.getStore();
    if (open) return work(open);
    const afterHooks: Array<() => void> = [];
    const result = await this.dataSource.transaction(async (manager) => {
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
}
