import { Injectable } from '@nestjs/common';
import { queryPrepared, TransactionScope } from '@platform/persistence';
import { Cents } from '@platform/contracts';
import { Account } from '../domain/account';
import { AccountRecord } from './account.record';

/** Reads and writes `accounts` inside the open transaction, if any. */
@Injectable()
export class AccountRepository {
  constructor(private readonly transactions: TransactionScope) {}

  private get records() {
    return this.transactions.manager.getRepository(AccountRecord);
  }

  async find(customerId: string): Promise<Account | undefined> {
    const record = await this.records.findOneBy({ customerId });
    return record ? toAccount(record) : undefined;
  }

  /** Creates the account or replaces its credit, in one statement so concurrent puts cannot collide. */
  async put({ customerId, credit }: Account): Promise<'created' | 'replaced'> {
    // xmax is 0 only on a freshly inserted row version, so it tells an insert from an update.
    const [row] = await this.transactions.manager.query<Array<{ created: boolean }>>(
      `INSERT INTO accounts (customer_id, credit_cents) VALUES ($1, $2)
       ON CONFLICT (customer_id) DO UPDATE SET credit_cents = EXCLUDED.credit_cents, updated_at = now()
       RETURNING (xmax = 0) AS created`,
      [customerId, credit],
    );
    return row.created ? 'created' : 'replaced';
  }

  /**
   * Locks the customer's account until the transaction ends, opening it with `openingCredit` if the
   * customer has none yet. Concurrent charges of one customer queue up here, so none sees stale credit.
   */
  async lock(customerId: string, openingCredit: Cents): Promise<Account> {
    const manager = this.transactions.manager;
    const lockRow = () =>
      queryPrepared<{ credit_cents: string }>(
        manager,
        `SELECT credit_cents FROM accounts WHERE customer_id = $1 FOR UPDATE`,
        [customerId],
      );
    // Most charges find the account: one statement. A first charge opens it, then locks it.
    let [row] = (await lockRow()).rows;
    if (!row) {
      await queryPrepared(
        manager,
        `INSERT INTO accounts (customer_id, credit_cents) VALUES ($1, $2) ON CONFLICT (customer_id) DO NOTHING`,
        [customerId, openingCredit],
      );
      [row] = (await lockRow()).rows;
    }
    return { customerId, credit: Number(row.credit_cents) };
  }

  /** Adds to the credit in one statement, so it needs no lock of its own. */
  async addCredit(customerId: string, amount: Cents): Promise<void> {
    await this.records
      .createQueryBuilder()
      .update()
      .set({ credit: () => 'credit_cents + :amount' })
      .setParameter('amount', amount)
      .where('customer_id = :customerId', { customerId })
      .execute();
  }
}

function toAccount(record: AccountRecord): Account {
  return { customerId: record.customerId, credit: record.credit };
}
