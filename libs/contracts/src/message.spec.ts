import { messageTypeOf, schemaVersionOf, ReserveStock, StockReserved, OrderCancelled } from './index';

describe('a message defined in contracts', () => {
  const orderId = '3b241101-e2bb-4255-8caf-4136c566a962';

  it('carries its routing facts on the class', () => {
    expect(ReserveStock.routingKey).toBe('inventory.ReserveStock');
    expect(ReserveStock.exchange).toBe('commands');
    expect(OrderCancelled.routingKey).toBe('order.OrderCancelled');
    expect(OrderCancelled.exchange).toBe('events');
  });

  it('serializes to its payload only and remembers its schema version', () => {
    const message = StockReserved.v1({
      orderId,
      lines: [{ sku: 'a', quantity: 1, unitPrice: 2.5 }],
      total: 2.5,
    });
    expect(JSON.parse(JSON.stringify(message))).toEqual({
      orderId,
      lines: [{ sku: 'a', quantity: 1, unitPrice: 2.5 }],
      total: 2.5,
    });
    expect(schemaVersionOf(message)).toBe(1);
    expect(messageTypeOf(message)).toBe(StockReserved);
    expect(message).toBeInstanceOf(StockReserved);
  });

  it('rejects payloads that break the schema', () => {
    const schema = ReserveStock.schemas.get(1)!;
    expect(schema.safeParse({ orderId, lines: [] }).success).toBe(false);
    expect(schema.safeParse({ orderId: 'x', lines: [{ sku: 'a', quantity: 1 }] }).success).toBe(false);
    expect(schema.safeParse({ orderId, lines: [{ sku: 'a', quantity: 1.5 }] }).success).toBe(false);
    expect(schema.safeParse({ orderId, lines: [{ sku: 'a', quantity: 2 }] }).success).toBe(true);
  });

  it('refuses a ReserveStock whose lines repeat a sku, naming the line', () => {
    const schema = ReserveStock.schemas.get(1)!;
    const parsed = schema.safeParse({
      orderId,
      lines: [
        { sku: 'a', quantity: 1 },
        { sku: 'b', quantity: 1 },
        { sku: 'a', quantity: 2 },
      ],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toEqual([
      expect.objectContaining({
        path: ['lines', 2, 'sku'],
        message: 'sku "a" repeats line 0; each sku goes on one line',
      }),
    ]);
  });

  it.each([
    ['a NUL in a sku', { sku: 'a\u0000', quantity: 1 }, ['lines', 0, 'sku']],
    ['a lone surrogate in a sku', { sku: '\ud800', quantity: 1 }, ['lines', 0, 'sku']],
  ])('refuses %s, which no database could store as sent', (_, line, path) => {
    const parsed = ReserveStock.schemas.get(1)!.safeParse({ orderId, lines: [line] });
    expect(parsed.error?.issues).toEqual([expect.objectContaining({ path })]);
  });

  it('refuses money with more than two decimals', () => {
    const schema = StockReserved.schemas.get(1)!;
    expect(
      schema.safeParse({ orderId, lines: [{ sku: 'a', quantity: 1, unitPrice: 1.005 }], total: 1 }).success,
    ).toBe(false);
  });
});
