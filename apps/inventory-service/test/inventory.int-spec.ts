import { randomUUID } from 'node:crypto';
import {
  OrderConfirmed,
  ReleaseStock,
  ReserveStock,
  StockReservationRejected,
  StockReserved,
} from '@platform/contracts';
import { HttpClient, ServiceHarness, uniqueSuffix, waitFor } from '@platform/testing';

interface Reply {
  type: string;
  body: Record<string, unknown>;
}

describe('inventory-service', () => {
  let harness: ServiceHarness;
  let http: HttpClient;

  beforeAll(async () => {
    harness = await ServiceHarness.start('inventory');
    http = harness.http;
  });

  afterAll(async () => {
    await harness?.stop();
  });

  /** Publishes a contract message the way another service's outbox would; returns its message id. */
  const publish = (message: object, messageId?: string) => harness.publish(message, { messageId });

  const repliesTo = (orderId: string): Reply[] =>
    harness
      .sent()
      .filter((message) => message.correlationId === orderId)
      .map((message) => ({ type: message.type, body: message.payload }));

  const replyTo = (orderId: string) => waitFor(`a reply to order ${orderId}`, () => repliesTo(orderId)[0]);

  const putProduct = (sku: string, price: number, stock: number) =>
    http.put(`/products/${sku}`, { name: `Product ${sku}`, price, stock });

  const stockOf = async (sku: string) => {
    const { body } = await http.get(`/products/${sku}`);
    return { available: body.available, reserved: body.reserved };
  };

  const reservationOf = async (orderId: string) =>
    (await harness.query(`SELECT status, lines FROM reservations WHERE order_id = $1`, [orderId]))[0];

  const reserve = (orderId: string, lines: Array<{ sku: string; quantity: number }>, messageId?: string) =>
    publish(ReserveStock.v1({ orderId, lines }), messageId);

  const sku = (name: string) => `${name}-${uniqueSuffix()}`;

  describe('PUT /products/{sku}', () => {
    it('creates a product with 201 and all its stock available', async () => {
      const coffee = sku('coffee');
      const answer = await http.put(`/products/${coffee}`, {
        name: 'Coffee beans, 1 kg',
        price: 12.5,
        stock: 40,
      });
      expect(answer.status).toBe(201);
      expect(answer.body).toEqual({
        sku: coffee,
        name: 'Coffee beans, 1 kg',
        price: 12.5,
        available: 40,
        reserved: 0,
      });
      expect((await http.get(`/products/${coffee}`)).body).toEqual(answer.body);
    });

    it('replaces the name, price and available stock of an existing product with 200', async () => {
      const tea = sku('tea');
      await putProduct(tea, 3, 10);
      const answer = await http.put(`/products/${tea}`, { name: 'Green tea', price: 19.99, stock: 7 });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ sku: tea, name: 'Green tea', price: 19.99, available: 7, reserved: 0 });
      expect((await http.get(`/products/${tea}`)).body).toEqual(answer.body);
    });

    it('keeps the units of pending orders reserved when the stock is replaced', async () => {
      const mug = sku('mug');
      await putProduct(mug, 8, 5);
      const orderId = randomUUID();
      await reserve(orderId, [{ sku: mug, quantity: 2 }]);
      expect((await replyTo(orderId)).type).toBe(StockReserved.type);

      const answer = await putProduct(mug, 8, 10);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ available: 10, reserved: 2 });
    });

    it('creates a product once when it is put many times at once', async () => {
      const kettle = sku('kettle');
      const answers = await Promise.all(Array.from({ length: 10 }, () => putProduct(kettle, 30, 3)));
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      expect(statuses.filter((status) => status === 200)).toHaveLength(9);
    });
  });

  describe('GET /products/{sku}', () => {
    it('answers 404 naming the sku when no product has it', async () => {
      const answer = await http.get('/products/no-such-product');
      expect(answer.status).toBe(404);
      expect(answer.body.message).toContain('no-such-product');
    });
  });

  describe('GET /products', () => {
    it('lists products in sku order, a page of `limit` after the `cursor` sku', async () => {
      for (const name of ['list-b', 'list-A', 'list-c']) await putProduct(name, 1, 1);

      const first = await http.get('/products?cursor=list-&limit=2');
      expect(first.status).toBe(200);
      expect(first.body).toEqual([
        { sku: 'list-A', name: 'Product list-A', price: 1, available: 1, reserved: 0 },
        { sku: 'list-b', name: 'Product list-b', price: 1, available: 1, reserved: 0 },
      ]);
      const next = await http.get('/products?cursor=list-b&limit=2');
      expect(next.body[0].sku).toBe('list-c');
    });

    it('answers 100 products by default and up to 500 when asked', async () => {
      await Promise.all(Array.from({ length: 105 }, (_, index) => putProduct(`bulk-${index}`, 1, 1)));

      const page = await http.get('/products');
      expect(page.status).toBe(200);
      expect(page.body).toHaveLength(100);
      const skus: string[] = page.body.map((product: { sku: string }) => product.sku);
      expect(skus).toEqual([...skus].sort());
      expect((await http.get('/products?limit=500')).body.length).toBeGreaterThanOrEqual(108);
    });
  });

  describe('GET /docs-json', () => {
    it('documents the product endpoints and their bodies from the code', async () => {
      const { status, body } = await http.get('/docs-json');
      expect(status).toBe(200);
      expect(Object.keys(body.paths['/products/{sku}'])).toEqual(expect.arrayContaining(['put', 'get']));
      expect(
        body.paths['/products'].get.parameters.map((parameter: { name: string }) => parameter.name),
      ).toEqual(expect.arrayContaining(['limit', 'cursor']));
      expect(body.components.schemas.PutProductBody.required).toEqual(['name', 'price', 'stock']);
      expect(Object.keys(body.components.schemas.ProductResponse.properties)).toEqual([
        'sku',
        'name',
        'price',
        'available',
        'reserved',
      ]);
    });
  });

  describe('when the input is bad', () => {
    const valid = { name: 'Teapot', price: 25, stock: 3 };

    it.each([
      ['a missing name', { price: 1, stock: 1 }, 'name'],
      ['an empty name', { ...valid, name: '' }, 'name'],
      ['a name over 200 characters', { ...valid, name: 'x'.repeat(201) }, 'name'],
      ['a name that is not a string', { ...valid, name: 42 }, 'name'],
      ['a missing price', { name: 'Teapot', stock: 1 }, 'price'],
      ['a negative price', { ...valid, price: -1 }, 'price'],
      ['a price with three decimals', { ...valid, price: 1.005 }, 'price'],
      ['a price in exponent form below a cent', { ...valid, price: 1e-7 }, 'price'],
      ['a price given as a string', { ...valid, price: '12.50' }, 'price'],
      ['a price over the maximum', { ...valid, price: 1_000_000.01 }, 'price'],
      ['a missing stock', { name: 'Teapot', price: 1 }, 'stock'],
      ['a negative stock', { ...valid, stock: -1 }, 'stock'],
      ['a fractional stock', { ...valid, stock: 1.5 }, 'stock'],
      ['a stock over 1e9', { ...valid, stock: 1_000_000_001 }, 'stock'],
      ['an unknown field', { ...valid, colour: 'red' }, 'colour'],
    ])('refuses a product with %s with a 400 naming the field', async (_case, body, field) => {
      const answer = await http.put('/products/teapot', body);
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body.message)).toContain(field);
      expect((await http.get('/products/teapot')).status).toBe(404);
    });

    it.each([
      ['too long', 'x'.repeat(65)],
      ['with a space', 'tea%20pot'],
      ['with other characters', 'tea*pot'],
    ])('refuses a sku %s with a 400 naming it, on PUT and GET', async (_case, badSku) => {
      for (const answer of [
        await http.put(`/products/${badSku}`, valid),
        await http.get(`/products/${badSku}`),
      ]) {
        expect(answer.status).toBe(400);
        expect(JSON.stringify(answer.body.message)).toContain('sku');
      }
    });

    it('accepts a sku of 64 letters, digits, dots, underscores and dashes', async () => {
      const longest = `A.b_c-9${'x'.repeat(57)}`;
      expect((await http.put(`/products/${longest}`, valid)).status).toBe(201);
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=ten', 'limit'],
      ['limit=1.5', 'limit'],
      ['cursor=not%20a%20sku', 'cursor'],
      ['page=2', 'page'],
    ])('refuses a product list with %s with a 400 naming the parameter', async (parameters, field) => {
      const answer = await http.get(`/products?${parameters}`);
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body.message)).toContain(field);
    });

    it('refuses a body over 1 MiB with 413', async () => {
      const answer = await http.put('/products/teapot', { ...valid, name: 'x'.repeat(1024 * 1024 + 1) });
      expect(answer.status).toBe(413);
    });

    it('refuses malformed JSON with a 400', async () => {
      const answer = await http.put('/products/teapot', '{"name": "Teapot", "price": ');
      expect(answer.status).toBe(400);
      expect(answer.body.message).toMatch(/JSON/);
    });
  });

  describe('when ReserveStock arrives', () => {
    describe('and every product has enough stock', () => {
      it('holds every line, answers StockReserved with unit prices and total, and moves the units', async () => {
        const [apple, pear] = [sku('apple'), sku('pear')];
        await putProduct(apple, 0.1, 10);
        await putProduct(pear, 0.2, 5);
        const orderId = randomUUID();
        await reserve(orderId, [
          { sku: apple, quantity: 3 },
          { sku: pear, quantity: 1 },
        ]);

        expect(await replyTo(orderId)).toEqual({
          type: StockReserved.type,
          body: {
            orderId,
            lines: [
              { sku: apple, quantity: 3, unitPrice: 0.1 },
              { sku: pear, quantity: 1, unitPrice: 0.2 },
            ],
            total: 0.5,
          },
        });
        expect(await stockOf(apple)).toEqual({ available: 7, reserved: 3 });
        expect(await stockOf(pear)).toEqual({ available: 4, reserved: 1 });
        expect(await reservationOf(orderId)).toEqual({
          status: 'RESERVED',
          lines: [
            { sku: apple, quantity: 3, unitPrice: 0.1 },
            { sku: pear, quantity: 1, unitPrice: 0.2 },
          ],
        });
      });
    });

    describe('and its lines repeat a product', () => {
      it('dead-letters it as an invalid payload at once, reserving and answering nothing', async () => {
        const cup = sku('cup');
        await putProduct(cup, 2, 10);
        const orderId = randomUUID();
        const messageId = await reserve(orderId, [
          { sku: cup, quantity: 1 },
          { sku: cup, quantity: 2 },
        ]);

        const deadLetter = await harness.waitForDeadLetter(messageId);
        expect(deadLetter.properties.headers).toMatchObject({
          'x-error-reason': 'invalid-payload',
          'x-error': expect.stringContaining(`lines.1.sku: sku "${cup}" repeats line 0`),
          'x-attempts': 1,
        });
        expect(repliesTo(orderId)).toEqual([]);
        expect(await stockOf(cup)).toEqual({ available: 10, reserved: 0 });
        expect(await reservationOf(orderId)).toBeUndefined();
      });
    });

    describe('and a product has too little available', () => {
      it('answers StockReservationRejected OUT_OF_STOCK naming it, and moves nothing', async () => {
        const [plenty, scarce] = [sku('plenty'), sku('scarce')];
        await putProduct(plenty, 1, 10);
        await putProduct(scarce, 1, 1);
        const orderId = randomUUID();
        await reserve(orderId, [
          { sku: plenty, quantity: 5 },
          { sku: scarce, quantity: 2 },
        ]);

        expect(await replyTo(orderId)).toEqual({
          type: StockReservationRejected.type,
          body: { orderId, reason: 'OUT_OF_STOCK', skus: [scarce] },
        });
        expect(await stockOf(plenty)).toEqual({ available: 10, reserved: 0 });
        expect(await stockOf(scarce)).toEqual({ available: 1, reserved: 0 });
        expect(await reservationOf(orderId)).toBeUndefined();
      });
    });

    describe('and a product is unknown', () => {
      it('answers StockReservationRejected UNKNOWN_PRODUCT naming it, and moves nothing', async () => {
        const known = sku('known');
        await putProduct(known, 1, 10);
        const orderId = randomUUID();
        await reserve(orderId, [
          { sku: known, quantity: 1 },
          { sku: 'never-heard-of', quantity: 1 },
        ]);

        expect(await replyTo(orderId)).toEqual({
          type: StockReservationRejected.type,
          body: { orderId, reason: 'UNKNOWN_PRODUCT', skus: ['never-heard-of'] },
        });
        expect(await stockOf(known)).toEqual({ available: 10, reserved: 0 });
        expect(await reservationOf(orderId)).toBeUndefined();
      });
    });

    describe('and the same delivery comes twice (same message id)', () => {
      it('reserves and answers once', async () => {
        const lamp = sku('lamp');
        await putProduct(lamp, 4, 10);
        const orderId = randomUUID();
        const messageId = randomUUID();
        await reserve(orderId, [{ sku: lamp, quantity: 3 }], messageId);
        await reserve(orderId, [{ sku: lamp, quantity: 3 }], messageId);

        await waitFor('the second delivery to be taken as a duplicate', async () => {
          const metrics = (await http.get('/metrics')).text;
          return /messages_consumed_total\{[^}]*type="ReserveStock"[^}]*outcome="duplicate"[^}]*\} [1-9]/.test(
            metrics,
          );
        });
        await replyTo(orderId);
        await harness.settled();
        expect(repliesTo(orderId)).toHaveLength(1);
        expect(await stockOf(lamp)).toEqual({ available: 7, reserved: 3 });
      });
    });

    describe('again for an order already reserved (a new message id)', () => {
      it('answers StockReserved again with the stored lines, without reserving twice', async () => {
        const desk = sku('desk');
        await putProduct(desk, 99.99, 4);
        const orderId = randomUUID();
        await reserve(orderId, [{ sku: desk, quantity: 2 }]);
        await replyTo(orderId);
        await putProduct(desk, 120, 2);

        await reserve(orderId, [{ sku: desk, quantity: 2 }]);
        await harness.settled();
        await waitFor('the second answer', () => repliesTo(orderId).length === 2);
        const [first, second] = repliesTo(orderId);
        expect(second).toEqual(first);
        expect(second.body).toMatchObject({
          lines: [{ sku: desk, quantity: 2, unitPrice: 99.99 }],
          total: 199.98,
        });
        expect(await stockOf(desk)).toEqual({ available: 2, reserved: 2 });
      });
    });

    describe('for many orders of the same product at once', () => {
      it('reserves exactly what is available and rejects the rest, never overselling', async () => {
        const ticket = sku('ticket');
        await putProduct(ticket, 50, 10);
        const orderIds = Array.from({ length: 30 }, () => randomUUID());
        await Promise.all(orderIds.map((orderId) => reserve(orderId, [{ sku: ticket, quantity: 1 }])));

        const replies = await waitFor('an answer to every order', () => {
          const all = orderIds.map((orderId) => repliesTo(orderId)[0]);
          return all.every(Boolean) && all;
        });
        expect(replies.filter((reply) => reply.type === StockReserved.type)).toHaveLength(10);
        expect(replies.filter((reply) => reply.body.reason === 'OUT_OF_STOCK')).toHaveLength(20);
        expect(await stockOf(ticket)).toEqual({ available: 0, reserved: 10 });
      });

      it('reserves orders that list the same products in opposite orders without failing', async () => {
        const [left, right] = [sku('left'), sku('right')];
        await putProduct(left, 1, 100);
        await putProduct(right, 1, 100);
        const orderIds = Array.from({ length: 20 }, () => randomUUID());
        await Promise.all(
          orderIds.map((orderId, index) => {
            const lines = [
              { sku: left, quantity: 1 },
              { sku: right, quantity: 1 },
            ];
            return reserve(orderId, index % 2 === 0 ? lines : lines.reverse());
          }),
        );

        await waitFor('an answer to every order', () =>
          orderIds.every((orderId) => repliesTo(orderId).length > 0),
        );
        expect(orderIds.map((orderId) => repliesTo(orderId)[0].type)).toEqual(
          orderIds.map(() => StockReserved.type),
        );
        expect(await stockOf(left)).toEqual({ available: 80, reserved: 20 });
        expect(await stockOf(right)).toEqual({ available: 80, reserved: 20 });
        expect(harness.service.logs.filter((line) => line.includes('handling failed'))).toEqual([]);
      });
    });
  });

  describe('when ReleaseStock arrives', () => {
    describe('for a reserved order', () => {
      it('gives the units back to available and marks the reservation released', async () => {
        const chair = sku('chair');
        await putProduct(chair, 45, 6);
        const orderId = randomUUID();
        await reserve(orderId, [{ sku: chair, quantity: 4 }]);
        await replyTo(orderId);

        await publish(ReleaseStock.v1({ orderId }));
        await harness.settled();
        expect(await stockOf(chair)).toEqual({ available: 6, reserved: 0 });
        expect((await reservationOf(orderId)).status).toBe('RELEASED');

        await publish(ReleaseStock.v1({ orderId }));
        await harness.settled();
        expect(await stockOf(chair)).toEqual({ available: 6, reserved: 0 });
      });
    });

    describe('before the order was reserved', () => {
      it('makes a later ReserveStock for that order reserve and answer nothing', async () => {
        const sofa = sku('sofa');
        await putProduct(sofa, 300, 2);
        const orderId = randomUUID();

        await publish(ReleaseStock.v1({ orderId }));
        await harness.settled();
        expect(await reservationOf(orderId)).toEqual({ status: 'RELEASED', lines: [] });

        await reserve(orderId, [{ sku: sofa, quantity: 1 }]);
        await harness.settled();
        expect(repliesTo(orderId)).toEqual([]);
        expect(await stockOf(sofa)).toEqual({ available: 2, reserved: 0 });
      });
    });
  });

  describe('when OrderConfirmed arrives', () => {
    const confirmed = (orderId: string, sku: string) =>
      OrderConfirmed.v1({
        orderId,
        customerId: 'customer-1',
        lines: [{ sku, quantity: 3, unitPrice: 10 }],
        total: 30,
      });

    describe('for a reserved order', () => {
      it('settles it: the sold units leave reserved and available stays as it was', async () => {
        const bike = sku('bike');
        await putProduct(bike, 10, 5);
        const orderId = randomUUID();
        await reserve(orderId, [{ sku: bike, quantity: 3 }]);
        await replyTo(orderId);

        await publish(confirmed(orderId, bike));
        await harness.settled();
        expect(await stockOf(bike)).toEqual({ available: 2, reserved: 0 });
        expect((await reservationOf(orderId)).status).toBe('SETTLED');

        await publish(confirmed(orderId, bike));
        await harness.settled();
        await publish(ReleaseStock.v1({ orderId }));
        await harness.settled();
        expect(await stockOf(bike)).toEqual({ available: 2, reserved: 0 });
        expect((await reservationOf(orderId)).status).toBe('SETTLED');
      });
    });

    describe('for an order whose stock was released', () => {
      it('changes nothing', async () => {
        const boat = sku('boat');
        await putProduct(boat, 10, 5);
        const orderId = randomUUID();
        await reserve(orderId, [{ sku: boat, quantity: 3 }]);
        await replyTo(orderId);
        await publish(ReleaseStock.v1({ orderId }));
        await harness.settled();

        await publish(confirmed(orderId, boat));
        await harness.settled();
        expect(await stockOf(boat)).toEqual({ available: 5, reserved: 0 });
        expect((await reservationOf(orderId)).status).toBe('RELEASED');
      });
    });
  });
});
