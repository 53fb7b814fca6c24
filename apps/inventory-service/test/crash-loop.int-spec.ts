import { randomUUID } from 'node:crypto';
import { messageTypeOf, ReserveStock } from '@platform/contracts';
import {
  BrokerProbe,
  databaseUrl,
  dropDatabase,
  freePort,
  query,
  ServiceProcess,
  spawnService,
  uniqueSuffix,
  waitFor,
} from '@platform/testing';

/**
 * A message that kills its consumer every time: inventory-service runs with a crash point inside the
 * handling transaction (TEST_CRASH_POINT=before-commit), and is started again after each crash with the
 * same settings, as a restart policy would. The message must end in the dead-letter queue after
 * MESSAGING_MAX_ATTEMPTS crashes, with nothing of it committed, and the service must then stay up.
 */
describe('a message whose handling kills the process every time', () => {
  const database = `inventory_crash_${uniqueSuffix()}`;
  const maxAttempts = 3;
  let probe: BrokerProbe;
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    probe = await BrokerProbe.open();
    await probe.purge('inventory.commands', 'inventory.dlq');
  });
  afterAll(async () => {
    await Promise.all(processes.map((service) => service.kill()));
    await probe.purge('inventory.dlq');
    await probe.close();
    await dropDatabase(database);
  });

  it(`is parked after ${maxAttempts} crashes and the service stays up`, async () => {
    const env = {
      PORT: String(await freePort()),
      DATABASE_URL: databaseUrl(database),
      MESSAGING_MAX_ATTEMPTS: String(maxAttempts),
      TEST_CRASH_POINT: 'before-commit',
      TEST_CRASH_AFTER: '1',
    };
    const orderId = randomUUID();
    const poison = ReserveStock.v1({ orderId, lines: [{ sku: 'whatever', quantity: 1 }] });
    const type = messageTypeOf(poison);
    const messageId = await probe.publish(type.exchange, type.routingKey, JSON.stringify(poison), {
      type: type.type,
      correlationId: orderId,
    });

    let crashes = 0;
    const parked = async () => {
      const letters = await probe.drain('inventory.dlq');
      return letters.find((letter) => letter.properties.messageId === messageId);
    };
    let letter: Awaited<ReturnType<typeof parked>>;
    while (!letter && crashes <= maxAttempts + 1) {
      const service = spawnService('inventory-service', env);
      processes.push(service);
      const outcome = await waitFor(
        'the service to crash or to park the message',
        async () => {
          if (service.process.signalCode || service.process.exitCode !== null) return 'ended';
          letter = await parked();
          return letter ? 'parked' : undefined;
        },
        30_000,
      );
      if (outcome === 'parked') break;
      expect(await service.exited).toBe('SIGKILL');
      crashes += 1;
    }

    expect(crashes).toBe(maxAttempts);
    expect(letter?.properties.headers?.['x-error-reason']).toBe('handler-crashed');
    const survivor = processes[processes.length - 1];
    expect(survivor.process.exitCode).toBeNull();
    const ready = await fetch(`${survivor.url}/health/ready`);
    expect(ready.status).toBe(200);
    const reservations = await query(database, 'SELECT 1 FROM reservations WHERE order_id = $1', [orderId]);
    expect(reservations).toEqual([]);
  }, 120_000);
});
