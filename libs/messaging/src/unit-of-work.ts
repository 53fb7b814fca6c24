import { Injectable } from '@nestjs/common';
import { Transaction, TransactionScope } from '@platform/persistence';
import { CrashPoints } from './faults/crash-points';
import { Outbox } from './outbox/outbox';
import { OutboxRelay } from './outbox/outbox-relay';
import { OutboxStore } from './persistence/outbox.store';

/** What business code gets inside a unit of work: the outbox to record messages in. */
export interface Work {
  readonly outbox: Outbox;
}

/**
 * Load, decide, store and record messages in one transaction. Joins the transaction the consumer opened
 * for the delivery being handled (so the inbox record commits with it), or opens its own for HTTP work.
 * Recorded messages are inserted just before commit and the relay is woken just after (only if there were any).
 */
@Injectable()
export class UnitOfWork {
  private readonly outboxes = new WeakMap<Transaction, Outbox>();

  constructor(
    private readonly transactions: TransactionScope,
    private readonly store: OutboxStore,
    private readonly relay: OutboxRelay,
    private readonly crashes: CrashPoints,
  ) {}

  run<T>(work: (work: Work) => Promise<T>): Promise<T> {
    return this.transactions.run((transaction) => work({ outbox: this.outboxOf(transaction) }));
  }

  private outboxOf(transaction: Transaction): Outbox {
    let outbox = this.outboxes.get(transaction);
    if (!outbox) {
      const created = new Outbox();
      outbox = created;
      this.outboxes.set(transaction, created);
      let recorded = 0;
      transaction.beforeCommit(() => {
        const rows = created.drain();
        recorded += rows.length;
        return this.store.insert(transaction.manager, rows);
      });
      transaction.afterCommit(() => {
        // Work that recorded nothing gives the relay nothing to do (a claim that finds no row is a transaction too).
        if (recorded === 0) return;
        this.crashes.reach('after-commit');
        this.relay.wake();
      });
    }
    return outbox;
  }
}
