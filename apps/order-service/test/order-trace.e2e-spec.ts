import {
  OtlpReceiver,
  Platform,
  ReceivedSpan,
  SpanKinds,
  startPlatform,
  uniqueSuffix,
  waitFor,
} from '@platform/testing';

const services = ['order-service', 'inventory-service', 'payment-service', 'notification-service'];

/** SPEC section 5: one order is one trace, across every queue hop, with correlated logs and metrics. */
describe('tracing one order across all four services', () => {
  let receiver: OtlpReceiver;
  let platform: Platform;
  const run = uniqueSuffix();
  const customerId = `traced-${run}`;
  const sku = `TRACE-${run}`;
  let orderId: string;
  let spans: ReceivedSpan[];

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    platform = await startPlatform({}, { ...receiver.environment, LOG_LEVEL: 'info' });
    await platform.http.inventory.put(`/products/${sku}`, { name: 'traced', price: 2.5, stock: 10 });
    await platform.http.payment.put(`/accounts/${customerId}`, { credit: 100 });
    const placed = await platform.http.order.post('/orders', { customerId, items: [{ sku, quantity: 2 }] });
    orderId = placed.body.id;
    await waitFor(
      'the order to be confirmed',
      async () => (await platform.http.order.get(`/orders/${orderId}`)).body.status === 'CONFIRMED',
    );

    const traceIds = () =>
      new Set(
        receiver.spans
          .filter((span) => span.attributes['messaging.message.conversation_id'] === orderId)
          .map((span) => span.traceId),
      );
    // Five hops: ReserveStock, StockReserved, ChargePayment, PaymentCaptured, OrderConfirmed (to two queues).
    spans = await waitFor(
      'every hop of the order and the spans they hang from',
      () => {
        const [traceId] = [...traceIds()];
        const trace = traceId ? receiver.trace(traceId) : [];
        const ids = new Set(trace.map((span) => span.spanId));
        const complete =
          trace.filter((span) => span.kind === SpanKinds.CONSUMER).length >= 6 &&
          trace.every((span) => !span.parentSpanId || ids.has(span.parentSpanId));
        return complete ? trace : undefined;
      },
      20_000,
    );
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    await receiver?.stop();
  });

  it('puts every message of the order in one trace whose root is POST /orders', () => {
    const traceIds = new Set(
      receiver.spans
        .filter((span) => span.attributes['messaging.message.conversation_id'] === orderId)
        .map((span) => span.traceId),
    );
    expect(traceIds.size).toBe(1);
    const roots = spans.filter((span) => !span.parentSpanId);
    expect(roots).toHaveLength(1);
    expect(roots[0]).toMatchObject({ service: 'order-service', kind: SpanKinds.SERVER });
    expect(roots[0].name).toContain('POST');
  });

  it('holds spans of all four services and no orphans', () => {
    expect(new Set(spans.map((span) => span.service))).toEqual(new Set(services));
    const ids = new Set(spans.map((span) => span.spanId));
    expect(spans.filter((span) => span.parentSpanId && !ids.has(span.parentSpanId))).toEqual([]);
  });

  // The NestJS instrumentation names the handler; it does not support NestJS 12 yet (docs/adr/0007).
  it('names the controller method that took POST /orders in a span below the HTTP one', () => {
    const below = (id: string): ReceivedSpan[] =>
      spans.filter((span) => span.parentSpanId === id).flatMap((span) => [span, ...below(span.spanId)]);
    const root = spans.find((span) => !span.parentSpanId)!;
    expect(below(root.spanId).map((span) => span.name)).toContain('OrdersController.place');
  });

  it('leaves out the spans that only add cost: Express middleware and handler layers, pg pool checkouts', () => {
    const names = spans.map((span) => span.name);
    expect(names.filter((name) => /^(middleware - |request handler)/.test(name))).toEqual([]);
    expect(names.filter((name) => name === 'pg-pool.connect' || name === 'pg.connect')).toEqual([]);
    expect(names.filter((name) => name.startsWith('pg.query')).length).toBeGreaterThan(0);
  });

  it('has a PRODUCER span for each hop and a CONSUMER span as its child, with messaging attributes', () => {
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const producers = spans.filter((span) => span.kind === SpanKinds.PRODUCER);
    const consumers = spans.filter((span) => span.kind === SpanKinds.CONSUMER);
    expect(
      producers.map((span) => span.attributes['messaging.rabbitmq.destination.routing_key']).sort(),
    ).toEqual([
      'inventory.ReserveStock',
      'inventory.StockReserved',
      'order.OrderConfirmed',
      'payment.ChargePayment',
      'payment.PaymentCaptured',
    ]);
    expect(consumers).toHaveLength(6);
    for (const consumer of consumers) {
      const parent = byId.get(consumer.parentSpanId!);
      expect(parent?.kind).toBe(SpanKinds.PRODUCER);
      expect(consumer.attributes['messaging.rabbitmq.destination.routing_key']).toBe(
        parent?.attributes['messaging.rabbitmq.destination.routing_key'],
      );
      expect(consumer.attributes['messaging.message.id']).toBe(parent?.attributes['messaging.message.id']);
    }
    for (const span of [...producers, ...consumers]) {
      expect(span.attributes['messaging.system']).toBe('rabbitmq');
      expect(span.attributes['messaging.destination.name']).toMatch(/^(commands|events)$/);
    }
  });

  it("hangs each handler's database work under its CONSUMER span", () => {
    const children = (id: string): ReceivedSpan[] => spans.filter((span) => span.parentSpanId === id);
    const descendants = (id: string): ReceivedSpan[] =>
      children(id).flatMap((span) => [span, ...descendants(span.spanId)]);
    for (const consumer of spans.filter((span) => span.kind === SpanKinds.CONSUMER)) {
      const database = descendants(consumer.spanId).filter(
        (span) =>
          span.attributes['db.system'] === 'postgresql' || span.attributes['db.system.name'] === 'postgresql',
      );
      expect(database.length).toBeGreaterThan(0);
    }
  });

  it('keeps message bodies and personal data out of span attributes, recorded URLs included', async () => {
    // Reads that name the customer in their URL, in a query and in a path.
    await platform.http.order.get(`/orders?customerId=${customerId}`);
    await platform.http.payment.get(`/accounts/${customerId}`);
    const all = await waitFor('the spans of both reads', () => {
      const received = receiver.spans;
      const requests = received.map(
        (span) => `${span.attributes['http.request.method']} ${span.attributes['http.route']}`,
      );
      return requests.includes('GET /orders') && requests.includes('GET /accounts/:customerId')
        ? received
        : undefined;
    });
    const values = [...spans, ...all].flatMap((span) => Object.values(span.attributes).map(String));
    expect(values.filter((value) => value.includes(customerId))).toEqual([]);
    // The URLs are still recorded, with the values masked.
    expect(values.filter((value) => value.includes('customerId=*')).length).toBeGreaterThan(0);
  });

  describe('at the default log level', () => {
    /** The transitions each service logs for a confirmed order. */
    const transitions = {
      order: ['order placed, stock requested', 'stock reserved, payment requested', 'order confirmed'],
      inventory: ['stock reserved', 'stock settled: sold'],
      payment: ['payment captured'],
      notification: ['notification sent'],
    };
    const infoLines = (name: keyof typeof transitions) =>
      platform.services[name].logs
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line.level === 'info');

    it.each(Object.keys(transitions) as Array<keyof typeof transitions>)(
      'has %s-service log each transition of the order at info, in the order’s trace, by order id',
      async (name) => {
        const traceId = spans[0].traceId;
        const logged = await waitFor(`${name}-service to log every transition`, () => {
          const lines = infoLines(name).filter((line) => line.trace_id === traceId);
          const messages = lines.map((line) => line.msg);
          return transitions[name].every((transition) => messages.includes(transition)) && lines;
        });
        for (const line of logged.filter((entry) => transitions[name].includes(entry.msg as string))) {
          expect(line).toMatchObject({ orderId, span_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
        }
      },
    );

    it('never logs the customer id, at any level', () => {
      for (const name of ['order', 'inventory', 'payment', 'notification'] as const) {
        expect(platform.services[name].logs.filter((line) => line.includes(customerId))).toEqual([]);
      }
    });
  });

  it('exposes the metrics of SPEC section 5', async () => {
    const common = [
      'outbox_pending_messages',
      'outbox_publish_lag_seconds',
      'messages_consumed_total',
      'message_handling_duration_seconds',
      'messages_dead_lettered_total',
      'process_cpu_seconds_total',
    ];
    for (const name of ['order', 'inventory', 'payment', 'notification'] as const) {
      const text = (await platform.http[name].get('/metrics')).text;
      for (const metric of common) expect(text).toContain(`# TYPE ${metric}`);
    }
    const order = (await platform.http.order.get('/metrics')).text;
    expect(order).toMatch(/saga_duration_seconds_count\{outcome="confirmed"\} [1-9]/);
    expect(order).toMatch(
      /messages_consumed_total\{queue="order\.events",type="StockReserved",outcome="handled"\} [1-9]/,
    );
  });
});
