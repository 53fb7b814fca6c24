import { randomUUID } from 'node:crypto';
import { ReserveStock } from '@platform/contracts';
import { ServiceHarness } from '@platform/testing';
import { aboutOrder, orderApi, sentAbout } from './order-api';

describe('orders over HTTP', () => {
  let harness: ServiceHarness;
  let orders: ReturnType<typeof orderApi>;

  beforeAll(async () => {
    harness = await ServiceHarness.start('order');
    orders = orderApi(harness);
  });
  afterAll(async () => {
    await harness?.stop();
  });

  const customerId = () => `customer-${randomUUID()}`;
  const items = [
    { sku: 'apple', quantity: 2 },
    { sku: 'pear', quantity: 1 },
  ];
  const post = (body: unknown, headers?: Record<string, string>) =>
    harness.http.post('/orders', body, headers);

  describe('when an order is placed', () => {
    it('accepts it as PENDING, points to it, and asks inventory to reserve its lines', async () => {
      const customer = customerId();
      const answer = await post({ customerId: customer, items });

      expect(answer.status).toBe(202);
      const { id } = answer.body;
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(answer.headers.get('location')).toBe(`/orders/${id}`);
      expect(answer.body).toEqual({
        id,
        customerId: customer,
        status: 'PENDING',
        cancellationReason: null,
        items: [
          { sku: 'apple', quantity: 2, unitPrice: null },
          { sku: 'pear', quantity: 1, unitPrice: null },
        ],
        total: null,
        history: [{ status: 'PENDING', at: answer.body.createdAt }],
        createdAt: expect.any(String),
        updatedAt: answer.body.createdAt,
      });
      expect(await harness.waitForSent(ReserveStock, aboutOrder(id))).toEqual({ orderId: id, lines: items });
    });

    it('shows the same order at its location', async () => {
      const placed = await post({ customerId: customerId(), items });
      const read = await harness.http.get(placed.headers.get('location')!);

      expect(read.status).toBe(200);
      expect(read.body).toEqual(placed.body);
    });
  });

  describe('when an order is asked for that does not exist', () => {
    it.each([
      ['an unknown UUID', randomUUID()],
      ['an id that is not a UUID', 'not-a-uuid'],
    ])('answers 404 for %s', async (_, id) => {
      const answer = await harness.http.get(`/orders/${id}`);

      expect(answer.status).toBe(404);
      expect(answer.body.message).toBe(`order ${id} not found`);
    });
  });

  describe('when a request is retried with the same Idempotency-Key', () => {
    it('answers with the first order and places no other', async () => {
      const key = randomUUID();
      const body = { customerId: customerId(), items };
      const first = await post(body, { 'Idempotency-Key': key });
      const again = await post(body, { 'Idempotency-Key': key });

      expect([first.status, again.status]).toEqual([202, 202]);
      expect(again.body.id).toBe(first.body.id);
      expect(again.headers.get('location')).toBe(`/orders/${first.body.id}`);
      await harness.waitForSent(ReserveStock, aboutOrder(first.body.id));
      await harness.settled();
      expect(sentAbout(harness, first.body.id, ReserveStock)).toHaveLength(1);
    });

    it('places exactly one order for ten concurrent requests', async () => {
      const key = randomUUID();
      const body = { customerId: customerId(), items };
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => post(body, { 'Idempotency-Key': key })),
      );

      expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(202));
      expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
      const rows = await harness.query(`SELECT id FROM orders WHERE customer_id = $1`, [body.customerId]);
      expect(rows).toEqual([{ id: answers[0].body.id }]);
      await harness.waitForSent(ReserveStock, aboutOrder(answers[0].body.id));
      await harness.settled();
      expect(sentAbout(harness, answers[0].body.id, ReserveStock)).toHaveLength(1);
    });

    it('refuses the key with 422 when the body differs', async () => {
      const key = randomUUID();
      const customer = customerId();
      await post({ customerId: customer, items }, { 'Idempotency-Key': key });
      const answer = await post(
        { customerId: customer, items: [{ sku: 'apple', quantity: 3 }] },
        { 'Idempotency-Key': key },
      );

      expect(answer.status).toBe(422);
      expect(answer.body.message).toMatch(/Idempotency-Key .* already used with a different request body/);
      const rows = await harness.query(`SELECT 1 FROM orders WHERE customer_id = $1`, [customer]);
      expect(rows).toHaveLength(1);
    });

    it("keeps each customer's keys apart: the same key from two customers places two orders", async () => {
      const key = randomUUID();
      const [carol, dave] = [customerId(), customerId()];
      const asCarol = harness.http.as({ customer: carol });
      const asDave = harness.http.as({ customer: dave });
      const first = await asCarol.post('/orders', { items }, { 'Idempotency-Key': key });
      const other = await asDave.post(
        '/orders',
        { items: [{ sku: 'apple', quantity: 9 }] },
        { 'Idempotency-Key': key },
      );
      const again = await asCarol.post('/orders', { items }, { 'Idempotency-Key': key });

      expect([first.status, other.status, again.status]).toEqual([202, 202, 202]);
      expect(other.body.id).not.toBe(first.body.id);
      expect(other.body.customerId).toBe(dave);
      expect(again.body.id).toBe(first.body.id);
      const rows = await harness.query(`SELECT customer_id FROM orders WHERE idempotency_key = $1`, [key]);
      expect(rows).toHaveLength(2);
    });

    it.each([
      ['empty', ''],
      ['longer than 200 characters', 'k'.repeat(201)],
    ])('refuses a key that is %s with 400', async (_, key) => {
      const answer = await post({ customerId: customerId(), items }, { 'Idempotency-Key': key });

      expect(answer.status).toBe(400);
      expect(answer.body.message).toMatch(/Idempotency-Key/);
    });
  });

  describe('when the request is bad', () => {
    const line = (quantity: unknown) => ({ sku: 'apple', quantity });
    it.each([
      ['empty items', { customerId: 'c', items: [] }, /items must contain at least 1 elements/],
      ['no items', { customerId: 'c' }, /items must be an array/],
      ['items that are not a list', { customerId: 'c', items: 'apple' }, /items must be an array/],
      ['a line that is not an object', { customerId: 'c', items: [42] }, /items/],
      ['quantity 0', { customerId: 'c', items: [line(0)] }, /items\.0\.quantity must not be less than 1/],
      ['quantity 1.5', { customerId: 'c', items: [line(1.5)] }, /items\.0\.quantity must be an integer/],
      ['quantity "2"', { customerId: 'c', items: [line('2')] }, /items\.0\.quantity must be an integer/],
      ['quantity over a million', { customerId: 'c', items: [line(1_000_001)] }, /items\.0\.quantity/],
      [
        '101 lines',
        { customerId: 'c', items: Array(101).fill(line(1)) },
        /items must contain no more than 100/,
      ],
      ['no customerId', { items: [line(1)] }, /customerId/],
      ['an empty customerId', { customerId: '', items: [line(1)] }, /customerId/],
      ['a customerId of 101 characters', { customerId: 'c'.repeat(101), items: [line(1)] }, /customerId/],
      ['an empty sku', { customerId: 'c', items: [{ sku: '', quantity: 1 }] }, /items\.0\.sku/],
      [
        'a sku of 65 characters',
        { customerId: 'c', items: [{ sku: 's'.repeat(65), quantity: 1 }] },
        /items\.0\.sku/,
      ],
      [
        'an unknown field',
        { customerId: 'c', items: [line(1)], coupon: 'FREE' },
        /property coupon should not exist/,
      ],
      [
        'an unknown field in a line',
        { customerId: 'c', items: [{ ...line(1), colour: 'red' }] },
        /items\.0\.property colour should not exist/,
      ],
      [
        'a sku on two lines',
        {
          customerId: 'c',
          items: [
            { sku: 'ABC', quantity: 1 },
            { sku: 'XYZ', quantity: 1 },
            { sku: 'ABC', quantity: 2 },
          ],
        },
        /items\[2\]\.sku "ABC" repeats items\[0\]; put each SKU on one line/,
      ],
      ['malformed JSON', '{"customerId": "c", "items": [', /malformed JSON/],
      ['a JSON array', '[]', /items must be an array/],
      ['customerId null', { customerId: null, items: [line(1)] }, /customerId must be a string/],
      ['JSON null', 'null', /JSON/],
    ])('answers 400 naming what is wrong for %s, and writes nothing', async (_, body, message) => {
      const ordersBefore = await orders.countOrders();
      const answer = await post(body);

      expect(answer.status).toBe(400);
      expect([answer.body.message].flat().join('; ')).toMatch(message);
      expect(await orders.countOrders()).toBe(ordersBefore);
    });

    it('answers 413 for a body over 1 MiB', async () => {
      const answer = await post({ customerId: 'c', items: [line(1)], padding: 'x'.repeat(1024 * 1024) });

      expect(answer.status).toBe(413);
    });

    it('stays ready afterwards', async () => {
      expect((await harness.http.get('/health/ready')).status).toBe(200);
      expect((await post({ customerId: customerId(), items })).status).toBe(202);
    });
  });

  describe("when a customer's orders are listed", () => {
    const customer = customerId();
    const placed: string[] = [];

    beforeAll(async () => {
      for (let index = 0; index < 5; index++) placed.push(await orders.place(customer, items));
      await orders.place(customerId(), items);
    });

    const list = (parameters: string) => harness.http.get(`/orders?${parameters}`);
    const idsOf = (answer: { body: { items: Array<{ id: string }> } }) =>
      answer.body.items.map(({ id }) => id);

    it('pages through them newest first, following the cursor to the end', async () => {
      const first = await list(`customerId=${customer}&limit=2`);
      const second = await list(`customerId=${customer}&limit=2&cursor=${first.body.nextCursor}`);
      const third = await list(`customerId=${customer}&limit=2&cursor=${second.body.nextCursor}`);

      expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
      expect([...idsOf(first), ...idsOf(second), ...idsOf(third)]).toEqual([...placed].reverse());
      expect(third.body.nextCursor).toBeNull();
      expect(first.body.items[0]).toEqual(await orders.order(placed[4]));
    });

    it("gives only that customer's orders, 20 at a time by default", async () => {
      expect(idsOf(await list(`customerId=${customer}`))).toEqual([...placed].reverse());

      const busyCustomer = customerId();
      const many: string[] = [];
      for (let index = 0; index < 21; index++) many.push(await orders.place(busyCustomer, items));
      const first = await list(`customerId=${busyCustomer}`);
      const rest = await list(`customerId=${busyCustomer}&cursor=${first.body.nextCursor}`);

      expect(idsOf(first)).toEqual([...many].reverse().slice(0, 20));
      expect(idsOf(rest)).toEqual([many[0]]);
      expect(rest.body.nextCursor).toBeNull();
    });

    it('answers an empty page for a customer without orders', async () => {
      const answer = await list(`customerId=${customerId()}`);

      expect(answer.body).toEqual({ items: [], nextCursor: null });
    });

    it.each([
      ['customerId is missing', 'limit=2', /customerId/],
      ['the cursor is not one it gave', `customerId=c&cursor=bm90LWEtY3Vyc29y`, /cursor/],
      ['limit is over 100', 'customerId=c&limit=101', /limit must not be greater than 100/],
      ['limit is not a number', 'customerId=c&limit=ten', /limit must be an integer/],
      ['limit is 0', 'customerId=c&limit=0', /limit must not be less than 1/],
    ])('answers 400 when %s', async (_, parameters, message) => {
      const answer = await list(parameters);

      expect(answer.status).toBe(400);
      expect([answer.body.message].flat().join('; ')).toMatch(message);
    });
  });
});
