import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { openDataSource, TransactionScope } from '@platform/persistence';
import { databaseUrl, dropDatabase, query, uniqueSuffix, waitFor } from '@platform/testing';
import { AccountRepository } from '../src/accounts/persistence/account.repository';
import { NewPayment } from '../src/payments/domain/payment';
import { PaymentRepository } from '../src/payments/persistence/payment.repository';
import { paymentPersistence } from '../src/persistence/payment-persistence';

describe('recording a payment on the real database', () => {
  const database = `payments_repository_${uniqueSuffix()}`;
  let dataSource: DataSource;
  let scope: TransactionScope;
  let payments: PaymentRepository;
  let accounts: AccountRepository;

  beforeAll(async () => {
    dataSource = await openDataSource(databaseUrl(database), paymentPersistence);
    scope = new TransactionScope(dataSource);
    payments = new PaymentRepository(scope);
    accounts = new AccountRepository(scope);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await dropDatabase(database);
  });

  const openAccount = async (credit: number): Promise<string> => {
    const customerId = `customer-${randomUUID()}`;
    await accounts.put({ customerId, credit });
    return customerId;
  };
  const creditOf = async (customerId: string) => (await accounts.find(customerId))?.credit;
  const capture = (customerId: string, amount: number): NewPayment => ({
    orderId: randomUUID(),
    customerId,
    amount,
    status: 'CAPTURED',
    reason: null,
  });

  it('debits the account in the statement that records a capture', async () => {
    const customerId = await openAccount(1000);
    const { recorded, payment } = await scope.run(() => payments.recordOnce(capture(customerId, 300), 700));
    expect(recorded).toBe(true);
    expect(await payments.findByOrderId(payment.orderId)).toEqual(payment);
    expect(await creditOf(customerId)).toBe(700);
  });

  it('leaves the account alone when given no credit to set (a decline)', async () => {
    const customerId = await openAccount(1000);
    const declined: NewPayment = {
      ...capture(customerId, 5000),
      status: 'DECLINED',
      reason: 'INSUFFICIENT_CREDIT',
    };
    const { recorded } = await scope.run(() => payments.recordOnce(declined));
    expect(recorded).toBe(true);
    expect(await creditOf(customerId)).toBe(1000);
  });

  it('neither records nor debits a second charge of an order that a concurrent one recorded first', async () => {
    const customerId = await openAccount(1000);
    const first = capture(customerId, 100);
    let commit!: () => void;
    const committing = new Promise<void>((resolve) => (commit = resolve));
    let recordedFirst = false;
    const winning = scope.run(async () => {
      await accounts.lock(customerId, 0);
      await payments.recordOnce(first, 900);
      recordedFirst = true;
      await committing;
    });
    await waitFor('the first charge to be recorded, not yet committed', () => recordedFirst);
    // The same order charged again, for more, by a transaction that did not wait for the account's lock.
    const losing = scope.run(() => payments.recordOnce({ ...first, amount: 200 }, 800));
    await waitFor('the second charge to wait for the first', async () => {
      const [{ waiting }] = await query<{ waiting: number }>(
        database,
        `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`,
        [database],
      );
      return waiting > 0;
    });
    commit();
    await winning;
    const { recorded, payment } = await losing;
    expect(recorded).toBe(false);
    expect(payment.amount).toBe(100);
    expect(await creditOf(customerId)).toBe(900);
  });
});
