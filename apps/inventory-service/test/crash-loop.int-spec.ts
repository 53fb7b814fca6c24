import { randomUUID } from 'node:crypto';
import { ConsumeMessage } from 'amqplib';
import { ReserveStock } from '@platform/contracts';
import { ServiceHarness, waitFor } from '@platform/testing';

/**
 * A message that kills its consumer every time: inventory-service runs with a crash point inside the
 * handling transaction (TEST_CRASH_POINT=before-commit), and is started again after each crash with the
 * same settings, as a restart policy would. The message must end in the dead-letter queue after
 * MESSAGING_MAX_ATTEMPTS crashes, with nothing of it committed, and the service must then stay up.
 */
describe('a message whose handling kills the process every time', () => {
  const maxAttempts = 3;
  let harness: ServiceHarness;

  beforeAll(async () => {
    harness = await ServiceHarness.start('inventory', {
      env: {
        MESSAGING_MAX_ATTEMPTS: String(maxAttempts),
        TEST_CRASH_POINT: 'before-commit',
        TEST_CRASH_AFTER: '1',
      },
    });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it(`is parked after ${maxAttempts} crashes and the service stays up`, async () => {
    const orderId = randomUUID();
    const messageId = await harness.publish(
      ReserveStock.v1({ orderId, lines: [{ sku: 'whatever', quantity: 1 }] }),
    );

    let crashes = 0;
    let letter: ConsumeMessage | undefined;
    while (!letter && crashes <= maxAttempts + 1) {
      const service = harness.service;
      const outcome = await waitFor(
        'the service to crash or to park the message',
        () => {
          if (service.process.signalCode || service.process.exitCode !== null) return 'ended';
          letter = harness.deadLettered(messageId)[0];
          return letter ? 'parked' : undefined;
        },
        30_000,
      );
      if (outcome === 'parked') break;
      expect(await service.exited).toBe('SIGKILL');
      crashes += 1;
      // Not waiting for readiness: the redelivered message may kill the process before it is ready.
      await harness.restart({}, { untilReady: false });
    }

    expect(crashes).toBe(maxAttempts);
    expect(letter?.properties.headers?.['x-error-reason']).toBe('handler-crashed');
    expect(harness.service.process.exitCode).toBeNull();
    expect((await harness.http.get('/health/ready')).status).toBe(200);
    const reservations = await harness.query('SELECT 1 FROM reservations WHERE order_id = $1', [orderId]);
    expect(reservations).toEqual([]);
  }, 120_000);
});
