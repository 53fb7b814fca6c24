import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { openDataSource, TransactionScope } from '@platform/persistence';
import { databaseUrl, dropDatabase, query, uniqueSuffix, waitFor } from '@platform/testing';
import { Order } from '../src/orders/domain/order';
import { orderPersistence } from '../src/orders/persistence/order-persistence';
import { OrderRepository } from '../src/orders/persistence/order.repository';

describe('the order repository on the real database', () => {
  const database = `orders_repository_${uniqueSuffix()}`;
  let dataSource: DataSource;
  let scope: TransactionScope;
  let orders: OrderRepository;

  beforeAll(async () => {
    dataSource = await openDataSource(databaseUrl(database), orderPersistence);
    scope = new TransactionScope(dataSource);
    orders = new OrderRepository(scope);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await dropDatabase(database);
  });

  const lines = [
    { sku: 'apple', quantity: 2 },
    { sku: 'pear', quantity: 1 },
  ];
  const reservation = {
    lines: [
      { sku: 'pear', quantity: 1, unitPrice: 0.5 },
      { sku: 'apple', quantity: 2, unitPrice: 1.25 },
    ],
    total: 3,
  };

  const place = async (): Promise<Order> => {
    const { order } = Order.place({ id: randomUUID(), customerId: 'customer-1', lines, now: new Date() });
    await scope.run(() => orders.add(order, { traceContext: {} }));
    return order;
  };

  const lockedState = (id: string) => scope.run(async () => (await orders.lock(id))?.state);

  describe('locking an order', () => {
    it('loads it with its lines, in their order, as placed', async () => {
      const placed = await place();
      expect(await lockedState(placed.id)).toEqual(placed.state);
    });

    it('loads the prices and total a reservation set', async () => {
      const placed = await place();
      await scope.run(async () => {
        const order = (await orders.lock(placed.id))!;
        order.recordReservation(reservation, new Date(), 60_000);
        await orders.save(order);
      });
      const state = await lockedState(placed.id);
      expect(state?.lines).toEqual([
        { sku: 'apple', quantity: 2, unitPriceCents: 125 },
        { sku: 'pear', quantity: 1, unitPriceCents: 50 },
      ]);
      expect(state?.totalCents).toBe(300);
    });

    it('answers nothing for an order it does not have', async () => {
      expect(await lockedState(randomUUID())).toBeUndefined();
    });
  });

  describe('when it waits for a transaction that prices the order', () => {
    it('sees the lines as that transaction committed them, not as they were when it asked', async () => {
      const placed = await place();
      let commit!: () => void;
      const committing = new Promise<void>((resolve) => (commit = resolve));
      const pricing = scope.run(async () => {
        const order = (await orders.lock(placed.id))!;
        order.recordReservation(reservation, new Date(), 60_000);
        await orders.save(order);
        await committing;
      });
      // Wait until the pricing transaction holds the row, then ask for it from a second transaction.
      await waitFor('the pricing transaction to hold the order', async () => {
        const [row] = await query(database, `SELECT total FROM orders WHERE id = $1 FOR UPDATE NOWAIT`, [
          placed.id,
        ]).catch(() => [undefined]);
        return row === undefined;
      });
      const locking = lockedState(placed.id);
      await waitFor('the second lock to wait', async () => {
        const [{ waiting }] = await query<{ waiting: number }>(
          database,
          `SELECT count(*)::int AS waiting FROM pg_stat_activity
            WHERE datname = $1 AND wait_event_type = 'Lock'`,
          [database],
        );
        return waiting > 0;
      });
      commit();
      await pricing;
      const state = await locking;
      expect(state?.status).toBe('PENDING');
      expect(state?.step).toBe('CHARGING_PAYMENT');
      expect(state?.totalCents).toBe(300);
      expect(state?.lines).toEqual([
        { sku: 'apple', quantity: 2, unitPriceCents: 125 },
        { sku: 'pear', quantity: 1, unitPriceCents: 50 },
      ]);
    });
  });
});
