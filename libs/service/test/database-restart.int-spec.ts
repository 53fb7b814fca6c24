import {
  HttpAnswer,
  infrastructure,
  Platform,
  query,
  sleep,
  startPlatform,
  uniqueSuffix,
  waitFor,
} from '@platform/testing';

/** One request a client may send at any time, labelled for the failure report. */
type LabelledRequest = [label: string, send: () => Promise<HttpAnswer>];

/**
 * SPEC section 3: never a 500, never a crash. While the database is unreachable every request is answered
 * 503 with Retry-After, and every service serves again once it is back.
 */
describe('the database going away while every service is busy', () => {
  let platform: Platform;
  const run = uniqueSuffix();
  const customerId = `restart-${run}`;
  const sku = `RESTART-${run}`;
  let orderId: string;

  beforeAll(async () => {
    platform = await startPlatform();
    await platform.http.inventory.put(`/products/${sku}`, { name: 'restart', price: 1, stock: 1_000_000 });
    const placed = await platform.http.order.post('/orders', { customerId, items: [{ sku, quantity: 1 }] });
    orderId = placed.body.id;
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  const requests = (): LabelledRequest[] => {
    const { order, inventory, payment, notification } = platform.http;
    return [
      ['POST /orders', () => order.post('/orders', { customerId, items: [{ sku, quantity: 1 }] })],
      ['GET /orders/{id}', () => order.get(`/orders/${orderId}`)],
      ['GET /orders', () => order.get(`/orders?customerId=${customerId}`)],
      [
        'PUT /products/{sku}',
        () => inventory.put(`/products/${sku}`, { name: 'r', price: 1, stock: 1_000_000 }),
      ],
      ['GET /products/{sku}', () => inventory.get(`/products/${sku}`)],
      ['GET /products', () => inventory.get('/products?limit=5')],
      ['PUT /accounts/{customerId}', () => payment.put(`/accounts/${customerId}`, { credit: 1_000_000 })],
      ['GET /accounts/{customerId}', () => payment.get(`/accounts/${customerId}`)],
      ['GET /payments', () => payment.get(`/payments?customerId=${customerId}`)],
      ['GET /notifications', () => notification.get(`/notifications?customerId=${customerId}`)],
    ];
  };

  /** Sends the requests round-robin from `clients` concurrent clients until `running()` turns false. */
  const load = (clients: number, running: () => boolean) => {
    const answers: Array<{ label: string; status: number; retryAfter: string | null; text: string }> = [];
    const done = Promise.all(
      Array.from({ length: clients }, async (_, client) => {
        const all = requests();
        for (let index = client; running(); index++) {
          const [label, send] = all[index % all.length];
          try {
            const answer = await send();
            answers.push({
              label,
              status: answer.status,
              retryAfter: answer.headers.get('retry-after'),
              text: answer.text,
            });
          } catch (error) {
            answers.push({ label, status: 0, retryAfter: null, text: (error as Error).message });
          }
        }
      }),
    );
    return { answers, done };
  };

  /** Services whose process has ended, with the end of their output, to tell why. */
  const crashed = () =>
    Object.values(platform.services)
      .filter((service) => service.process.exitCode !== null || service.process.signalCode !== null)
      .map((service) => `${service.name} exited:\n${service.logs.slice(-60).join('\n')}`);

  const allReady = async () => {
    const statuses = await Promise.all(
      Object.values(platform.http).map(async (http) => (await http.get('/health/ready')).status),
    );
    return statuses.every((status) => status === 200);
  };

  /** What load answered that is neither a success nor the 503 that asks to retry. */
  const unexpectedIn = (answers: ReturnType<typeof load>['answers']) =>
    answers
      .filter(
        ({ status, retryAfter }) =>
          !(status >= 200 && status < 300) && !(status === 503 && retryAfter === '1'),
      )
      .map(({ label, status, text }) => `${label}: ${status} ${text.slice(0, 200)}`);

  describe('when the database drops the connections of the services again and again', () => {
    it('answers every request with a 2xx or a 503 with Retry-After, and no service crashes', async () => {
      const databases = Object.values(platform.env).map((env) => new URL(env.DATABASE_URL).pathname.slice(1));
      let running = true;
      const { answers, done } = load(20, () => running);
      try {
        for (const started = Date.now(); Date.now() - started < 4000;) {
          await query(
            'postgres',
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ANY($1) AND pid <> pg_backend_pid()`,
            [databases],
          );
          await sleep(20);
        }
        expect(crashed()).toEqual([]);
        await waitFor('every service to be ready again', allReady, 30_000);
      } finally {
        running = false;
        await done;
      }

      expect(unexpectedIn(answers)).toEqual([]);
      expect(answers.filter(({ status }) => status === 503).length).toBeGreaterThan(0);
    }, 60_000);
  });

  describe('when PostgreSQL restarts (immediate mode, as in a crash)', () => {
    it('answers every request with a 2xx or a 503 with Retry-After, and serves again once it is back', async () => {
      let running = true;
      const { answers, done } = load(20, () => running);
      try {
        await sleep(500);
        await infrastructure.restartPostgresInBackground();
        await sleep(1000);
        expect(crashed()).toEqual([]);
        await waitFor('every service to be ready again', allReady, 60_000);
        await sleep(500);
      } finally {
        running = false;
        await done;
      }

      expect(unexpectedIn(answers)).toEqual([]);
      expect(answers.filter(({ status }) => status === 503).length).toBeGreaterThan(0);
      const afterwards = await Promise.all(
        requests().map(async ([label, send]) => `${label}: ${(await send()).status}`),
      );
      expect(afterwards.filter((line) => !/: 2\d\d$/.test(line))).toEqual([]);
    }, 120_000);
  });
});
