import { Client } from 'pg';
import {
  bodyWith,
  HttpAnswer,
  Hostile,
  hostileBodies,
  hostileNumbers,
  hostileQueryShapes,
  hostileStrings,
  hostileUrlText,
  json,
  parsed,
  Platform,
  raw,
  startPlatform,
  uniqueSuffix,
} from '@platform/testing';

/** One field of one endpoint, fuzzed with every value of its kind. */
interface FieldCase {
  endpoint: string;
  /** What a refusal must name: the field, as the client sent it. */
  field: string;
  /** A path parameter that names a resource: 404 is an answer too. */
  identifies?: boolean;
  values: Hostile[];
  send: (wire: string) => Promise<HttpAnswer>;
  /** Rows a write stores; a refused request must leave them as they were. */
  rows?: () => Promise<number>;
  /** For an accepted write: whether what was stored reads back as sent. */
  readsBack?: (answer: HttpAnswer, sent: unknown) => Promise<boolean>;
}

/** SPEC section 3: bad input is a 4xx naming the field, never a 500, a crash or a half-written row. */
describe('hostile input to every endpoint of the four services', () => {
  let platform: Platform;
  const databases: Record<string, Client> = {};
  const run = uniqueSuffix();
  let counter = 0;
  const next = () => `${run}-${(counter += 1)}`;

  const count = async (database: keyof typeof databases, tables: string[]) => {
    const { rows } = await databases[database].query<{ total: number }>(
      `SELECT (${tables.map((table) => `(SELECT count(*) FROM ${table})`).join(' + ')})::int AS total`,
    );
    return rows[0].total;
  };

  beforeAll(async () => {
    platform = await startPlatform();
    for (const name of ['order', 'inventory', 'payment', 'notification'] as const) {
      databases[name] = new Client({ connectionString: platform.env[name].DATABASE_URL });
      await databases[name].connect();
    }
    const put = await platform.http.inventory.put(`/products/FUZZ-${run}`, { name: 'x', price: 1, stock: 1 });
    expect(put.status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    for (const client of Object.values(databases)) await client.end();
    await platform?.stop();
  });

  const order = () => platform.http.order;
  const inventory = () => platform.http.inventory;
  const payment = () => platform.http.payment;
  const notification = () => platform.http.notification;
  // History and outbox rows keep coming from the sagas of accepted orders, so only what placing writes is counted.
  const orderRows = () => count('order', ['orders', 'order_lines']);
  const placeOrder = (template: object) => (wire: string) =>
    order().post('/orders', bodyWith(template, wire));
  const validLine = () => ({ sku: `FUZZ-${run}`, quantity: 1 });
  const storedOrder = async (answer: HttpAnswer) => (await order().get(`/orders/${answer.body.id}`)).body;

  const cases: FieldCase[] = [
    {
      endpoint: 'POST /orders',
      field: 'customerId',
      values: hostileStrings,
      send: (wire) => placeOrder({ customerId: '__HOSTILE__', items: [validLine()] })(wire),
      rows: orderRows,
      readsBack: async (answer, sent) =>
        answer.body.customerId === sent && (await storedOrder(answer)).customerId === sent,
    },
    {
      endpoint: 'POST /orders',
      field: 'items',
      values: [
        ...hostileStrings,
        json('a list of nulls', [null]),
        json('a list of lists', [[1]]),
        json('10 000 lines', Array(10_000).fill({ sku: 'a', quantity: 1 })),
        raw('lists nested 100 000 deep', '['.repeat(100_000) + ']'.repeat(100_000)),
      ],
      send: (wire) => placeOrder({ customerId: 'fuzz', items: '__HOSTILE__' })(wire),
      rows: orderRows,
    },
    {
      endpoint: 'POST /orders',
      field: 'sku',
      values: hostileStrings,
      send: (wire) => placeOrder({ customerId: 'fuzz', items: [{ sku: '__HOSTILE__', quantity: 1 }] })(wire),
      rows: orderRows,
      readsBack: async (answer, sent) => (await storedOrder(answer)).items[0].sku === sent,
    },
    {
      endpoint: 'POST /orders',
      field: 'quantity',
      values: hostileNumbers,
      send: (wire) =>
        placeOrder({ customerId: 'fuzz', items: [{ sku: `FUZZ-${run}`, quantity: '__HOSTILE__' }] })(wire),
      rows: orderRows,
      readsBack: async (answer, sent) => (await storedOrder(answer)).items[0].quantity === sent,
    },
    {
      endpoint: 'POST /orders',
      field: 'coupon',
      values: hostileStrings,
      send: (wire) => placeOrder({ customerId: 'fuzz', items: [validLine()], coupon: '__HOSTILE__' })(wire),
      rows: orderRows,
    },
    {
      endpoint: 'POST /orders',
      field: 'Idempotency-Key',
      values: [
        raw('Latin-1 letters', 'clé-é'),
        raw('a tab inside', 'a\tb'),
        raw('leading blanks', '   key'),
        raw('201 characters', 'k'.repeat(201)),
        raw('1 character', 'k'),
        raw('SQL', "k' OR '1'='1"),
      ],
      send: (wire) =>
        order().post(
          '/orders',
          { customerId: `fuzz-${next()}`, items: [validLine()] },
          { 'Idempotency-Key': `${wire}` },
        ),
      rows: orderRows,
    },
    {
      endpoint: 'GET /orders/{id}',
      field: 'id',
      identifies: true,
      values: hostileUrlText,
      send: (wire) => order().get(`/orders/${wire}`),
    },
    ...['customerId', 'limit', 'cursor'].map((field): FieldCase => ({
      endpoint: 'GET /orders',
      field,
      values: [...hostileUrlText, ...hostileQueryShapes(field)],
      send: (wire) =>
        order().get(
          field === 'customerId' ? `/orders?customerId=${wire}` : `/orders?customerId=fuzz&${field}=${wire}`,
        ),
    })),
    {
      endpoint: 'PUT /products/{sku}',
      field: 'sku',
      values: hostileUrlText,
      send: (wire) => inventory().put(`/products/${wire}`, { name: 'x', price: 1, stock: 1 }),
      rows: () => count('inventory', ['products']),
    },
    {
      endpoint: 'PUT /products/{sku}',
      field: 'name',
      values: hostileStrings,
      send: (wire) =>
        inventory().call(
          'PUT',
          `/products/N-${next()}`,
          bodyWith({ name: '__HOSTILE__', price: 1, stock: 1 }, wire),
        ),
      rows: () => count('inventory', ['products']),
      readsBack: async (answer, sent) =>
        answer.body.name === sent &&
        (await inventory().get(`/products/${answer.body.sku}`)).body.name === sent,
    },
    ...['price', 'stock'].map((field): FieldCase => ({
      endpoint: 'PUT /products/{sku}',
      field,
      values: hostileNumbers,
      send: (wire) =>
        inventory().call(
          'PUT',
          `/products/N-${next()}`,
          bodyWith({ name: 'x', price: 1, stock: 1, [field]: '__HOSTILE__' }, wire),
        ),
      rows: () => count('inventory', ['products']),
      readsBack: async (answer, sent) => answer.body[field === 'stock' ? 'available' : field] === sent,
    })),
    {
      endpoint: 'GET /products/{sku}',
      field: 'sku',
      identifies: true,
      values: hostileUrlText,
      send: (wire) => inventory().get(`/products/${wire}`),
    },
    ...['limit', 'cursor'].map((field): FieldCase => ({
      endpoint: 'GET /products',
      field,
      values: [...hostileUrlText, ...hostileQueryShapes(field)],
      send: (wire) => inventory().get(`/products?${field}=${wire}`),
    })),
    {
      endpoint: 'PUT /accounts/{customerId}',
      field: 'customerId',
      values: hostileUrlText,
      send: (wire) => payment().put(`/accounts/${wire}`, { credit: 10 }),
      rows: () => count('payment', ['accounts']),
      readsBack: async (answer) =>
        (await payment().get(`/accounts/${encodeURIComponent(answer.body.customerId)}`)).body.credit === 10,
    },
    {
      endpoint: 'PUT /accounts/{customerId}',
      field: 'credit',
      values: hostileNumbers,
      send: (wire) =>
        payment().call('PUT', `/accounts/c-${next()}`, bodyWith({ credit: '__HOSTILE__' }, wire)),
      rows: () => count('payment', ['accounts']),
      readsBack: async (answer, sent) => answer.body.credit === sent,
    },
    {
      endpoint: 'GET /accounts/{customerId}',
      field: 'customerId',
      values: hostileUrlText,
      send: (wire) => payment().get(`/accounts/${wire}`),
    },
    ...['orderId', 'customerId'].map((field): FieldCase => ({
      endpoint: 'GET /payments',
      field,
      values: [...hostileUrlText, ...hostileQueryShapes(field)],
      send: (wire) => payment().get(`/payments?${field}=${wire}`),
    })),
    ...['orderId', 'customerId'].map((field): FieldCase => ({
      endpoint: 'GET /notifications',
      field,
      values: [...hostileUrlText, ...hostileQueryShapes(field)],
      send: (wire) => notification().get(`/notifications?${field}=${wire}`),
    })),
  ];

  it.each(cases.map((fieldCase) => [`${fieldCase.endpoint} ${fieldCase.field}`, fieldCase] as const))(
    '%s: answers every value with a 2xx that reads back, or a 4xx naming the field and writing nothing',
    async (_, { field, identifies, values, send, rows, readsBack }) => {
      const problems: string[] = [];
      for (const { label, wire } of values) {
        const before = rows ? await rows() : 0;
        const answer = await send(wire);
        const after = rows ? await rows() : 0;
        const message = [answer.body?.message].flat().join('; ');
        if (answer.status >= 500 || answer.status < 200) {
          problems.push(`${label}: ${answer.status} ${answer.text.slice(0, 200)}`);
        } else if (answer.status === 404 && identifies) {
          if (!/not found/.test(message)) problems.push(`${label}: 404 without saying what: ${message}`);
        } else if (answer.status >= 400) {
          // A path segment that is not percent-encoded UTF-8 fails in the router, which names the value.
          const named = message.includes(field) || /^Failed to decode param/.test(message);
          if (!named) problems.push(`${label}: ${answer.status} without naming ${field}: ${message}`);
          if (after !== before)
            problems.push(`${label}: refused with ${answer.status} but wrote ${after - before} rows`);
        } else if (readsBack && !(await readsBack(answer, parsed(wire)))) {
          problems.push(`${label}: accepted with ${answer.status} but does not read back as sent`);
        }
      }
      expect(problems).toEqual([]);
    },
  );

  const writes: Array<{
    endpoint: string;
    path: string;
    client: () => ReturnType<typeof order>;
    rows: () => Promise<number>;
  }> = [
    { endpoint: 'POST /orders', path: '/orders', client: order, rows: orderRows },
    {
      endpoint: 'PUT /products/{sku}',
      path: `/products/B-${run}`,
      client: inventory,
      rows: () => count('inventory', ['products']),
    },
    {
      endpoint: 'PUT /accounts/{customerId}',
      path: `/accounts/b-${run}`,
      client: payment,
      rows: () => count('payment', ['accounts']),
    },
  ];

  it.each(writes.map((write) => [write.endpoint, write] as const))(
    '%s: answers a body that is not the JSON object it takes with a 4xx and a message, writing nothing',
    async (endpoint, { path, client, rows }) => {
      const method = endpoint.split(' ')[0];
      const problems: string[] = [];
      for (const { label, text, contentType, encoding } of hostileBodies) {
        const headers: Record<string, string> = { 'content-type': contentType };
        if (encoding) headers['content-encoding'] = encoding;
        const before = await rows();
        const answer = await client().call(method, path, text, headers);
        const written = (await rows()) - before;
        const message = [answer.body?.message].flat().join('; ');
        if (answer.status < 400 || answer.status >= 500 || !message || written !== 0) {
          problems.push(`${label}: ${answer.status} ${answer.text.slice(0, 200)}, ${written} rows written`);
        }
      }
      expect(problems).toEqual([]);
    },
  );

  it('leaves every service ready and its log free of unexpected errors', async () => {
    for (const name of ['order', 'inventory', 'payment', 'notification'] as const) {
      expect((await platform.http[name].get('/health/ready')).status).toBe(200);
      expect(platform.services[name].logs.filter((line) => line.includes('unexpected error'))).toEqual([]);
    }
  });
});
