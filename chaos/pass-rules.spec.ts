import { catalogueFor } from './catalogue';
import { Observations } from './observations';
import { PlacedOrder } from './order-load';
import { FaultRun, judge } from './pass-rules';

const catalogue = catalogueFor('t');
const [product] = catalogue.products;
const [customer] = catalogue.customers;
const faultEndedAt = Date.parse('2026-01-01T00:00:10Z');
const at = (seconds: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + seconds * 1000);
const orderId = '00000000-0000-4000-8000-000000000001';
const lateId = '00000000-0000-4000-8000-000000000002';

const placed = (id: string, acceptedAtS: number): PlacedOrder => ({
  key: `key-${id}`,
  customerId: customer.id,
  firstAttemptAt: at(acceptedAtS).getTime(),
  acceptedAt: at(acceptedAtS).getTime(),
  attempts: 1,
  orderId: id,
  answeredIds: new Set([id]),
  outcome: 'accepted',
});

/** One confirmed order of 2 units (sold, charged, mailed) before the fault and one cancelled after it: all in order. */
function cleanRun(): FaultRun {
  const total = 2 * product.priceCents;
  const observations: Observations = {
    orders: new Map([
      [
        orderId,
        { id: orderId, customerId: customer.id, status: 'CONFIRMED', totalCents: total, terminalAt: at(12) },
      ],
      [
        lateId,
        { id: lateId, customerId: customer.id, status: 'CANCELLED', totalCents: null, terminalAt: at(16) },
      ],
    ]),
    soldUnits: new Map([[product.sku, 2]]),
    products: new Map(
      catalogue.products.map((each) => [
        each.sku,
        { available: each.stock - (each === product ? 2 : 0), reserved: 0 },
      ]),
    ),
    credits: new Map(
      catalogue.customers.map((each) => [each.id, each.creditCents - (each === customer ? total : 0)]),
    ),
    payments: [{ orderId, customerId: customer.id, status: 'CAPTURED', amountCents: total }],
    notificationRows: new Map([
      [orderId, ['ORDER_CONFIRMED']],
      [lateId, ['ORDER_CANCELLED']],
    ]),
    mails: new Map([
      [orderId, [{ type: 'ORDER_CONFIRMED', messageId: '<n-1@test>' }]],
      [lateId, [{ type: 'ORDER_CANCELLED', messageId: '<n-2@test>' }]],
    ]),
    unpublished: { order: 0, inventory: 0, payment: 0, notification: 0 },
  };
  return {
    catalogue,
    placed: [placed(orderId, 8), placed(lateId, 15)],
    observations,
    faultEndedAt,
    deadLetters: [
      { queue: 'order.dlq', messageId: 'poison-1', type: 'StockReserved', reason: 'malformed-body' },
    ],
    poison: ['poison-1'],
    unexpectedExits: [],
    notificationKills: 0,
    notReady: [],
  };
}

describe('judge', () => {
  it('passes a run where everything adds up, and measures recovery from the fault end', () => {
    const verdict = judge(cleanRun());
    expect(verdict.failures).toEqual([]);
    expect(verdict).toMatchObject({ accepted: 2, lost: 0, chargedTwice: 0, notifiedTwice: 0, stuck: 0 });
    expect(verdict.recoverSeconds).toBe(2);
  });

  it('counts an accepted order that is missing as lost, and one still pending as lost and stuck', () => {
    const run = cleanRun();
    run.observations.orders.delete(lateId);
    run.observations.orders.set(orderId, {
      ...run.observations.orders.get(orderId)!,
      status: 'PENDING',
      terminalAt: null,
    });
    const verdict = judge(run);
    expect(verdict).toMatchObject({ lost: 2, stuck: 2, recoverSeconds: undefined });
    expect(verdict.failures.join()).toContain('lost: 2');
  });

  it('fails an order that ends more than 60 s after the fault', () => {
    const run = cleanRun();
    run.observations.orders.get(lateId)!.terminalAt = at(71);
    expect(judge(run)).toMatchObject({ lost: 0, stuck: 1 });
  });

  it('counts credit debited beyond the captured payments as charged twice', () => {
    const run = cleanRun();
    run.observations.credits.set(
      customer.id,
      run.observations.credits.get(customer.id)! - 2 * product.priceCents,
    );
    const verdict = judge(run);
    expect(verdict.chargedTwice).toBe(1);
    expect(verdict.failures.join()).toContain('credit taken ≠ confirmed totals');
  });

  it('fails a capture kept for a cancelled order', () => {
    const run = cleanRun();
    run.observations.payments.push({
      orderId: lateId,
      customerId: customer.id,
      status: 'CAPTURED',
      amountCents: 100,
    });
    expect(judge(run).failures.join()).toContain('cancelled but still captured: 1');
  });

  it('counts two mails about one order as notified twice, and none as never notified', () => {
    const run = cleanRun();
    run.observations.mails.set(orderId, [
      { type: 'ORDER_CONFIRMED', messageId: '<n-1@test>' },
      { type: 'ORDER_CONFIRMED', messageId: '<n-3@test>' },
    ]);
    run.observations.mails.delete(lateId);
    const verdict = judge(run);
    expect(verdict.notifiedTwice).toBe(1);
    expect(verdict.failures.join()).toContain('never notified: 1');
  });

  describe('a copy of one mail with the same Message-ID', () => {
    const resentRun = (kills: number) => {
      const run = cleanRun();
      const [mail] = run.observations.mails.get(orderId)!;
      run.observations.mails.set(orderId, [mail, mail]);
      run.notificationKills = kills;
      return run;
    };

    it('is notified twice when notification-service was not killed', () => {
      const verdict = judge(resentRun(0));
      expect(verdict.notifiedTwice).toBe(1);
      expect(verdict.failures.join()).toContain('notified twice: 1');
    });

    it('passes with a note when a kill caught it between the send and the SENT row', () => {
      const verdict = judge(resentRun(1));
      expect(verdict.failures).toEqual([]);
      expect(verdict.notifiedTwice).toBe(0);
      expect(verdict.notes.join()).toContain('1 mails sent again with the same Message-ID');
    });

    it('is notified twice when sent a third time, kill or not', () => {
      const run = resentRun(1);
      const [mail] = run.observations.mails.get(orderId)!;
      run.observations.mails.set(orderId, [mail, mail, mail]);
      expect(judge(run).notifiedTwice).toBe(1);
    });
  });

  it('fails stock that is still reserved or does not add up', () => {
    const run = cleanRun();
    run.observations.products.set(product.sku, { available: product.stock - 2, reserved: 2 });
    expect(judge(run).failures.join()).toContain('stock not conserved: 1 products');
  });

  it('fails unpublished outbox rows, dead letters other than the poison, and poison that was not parked', () => {
    const run = cleanRun();
    run.observations.unpublished.order = 3;
    run.deadLetters = [
      { queue: 'payment.dlq', messageId: 'x', type: 'ChargePayment', reason: 'handler-failed' },
    ];
    const failures = judge(run).failures.join();
    expect(failures).toContain('outbox not drained: order 3');
    expect(failures).toContain('dead letters that are not poison: 1');
    expect(failures).toContain('poison not dead-lettered: 1 of 1');
  });

  it('fails a process that exited on its own, a refused order, and a fault that did not take effect', () => {
    const run = cleanRun();
    run.unexpectedExits = [
      { instance: 'order-1', at: at(11), status: 1, cause: 'unexpected', logTail: ['boom'] },
    ];
    run.placed.push({ ...placed(lateId, 15), key: 'refused', outcome: 'refused', refusal: '422 reused key' });
    run.notInjected = 'nothing crashed';
    const failures = judge(run).failures.join();
    expect(failures).toContain('processes exited on their own: order-1 (1): boom');
    expect(failures).toContain('refused valid orders: 1');
    expect(failures).toContain('fault not injected: nothing crashed');
  });
});
