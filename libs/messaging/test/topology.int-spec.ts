import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { consumers } from '@platform/contracts';
import { systemTopology } from '@platform/messaging';
import {
  BrokerProbe,
  databaseUrl,
  distDir,
  dropDatabase,
  freePort,
  infrastructure,
  ServiceProcess,
  startService,
  testRabbitmqUrl,
  uniqueSuffix,
} from '@platform/testing';

/** Each case gets a vhost of its own on the machine's RabbitMQ: to the services, a brand-new broker. */
describe('the broker topology', () => {
  const vhost = `topology-${uniqueSuffix()}`;
  const brokerUrl = (() => {
    const url = new URL(testRabbitmqUrl);
    url.pathname = `/${encodeURIComponent(vhost)}`;
    return url.toString();
  })();
  const database = `payment_topology_${uniqueSuffix()}`;
  const services: ServiceProcess[] = [];
  let probe: BrokerProbe;

  beforeAll(async () => {
    infrastructure.createVhost(vhost);
    probe = await BrokerProbe.open(brokerUrl);
  });
  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    await probe.close();
    infrastructure.deleteVhost(vhost);
    await dropDatabase(database);
  });

  const expectedBindings = () =>
    systemTopology(consumers)
      .flatMap((service) =>
        service.workQueues.flatMap((queue) =>
          queue.routingKeys.map((key) => `${queue.exchange} -> ${queue.name} : ${key}`),
        ),
      )
      .sort();
  const startPayment = async (settings: Record<string, string>) => {
    const service = await startService('payment-service', {
      PORT: String(await freePort()),
      DATABASE_URL: databaseUrl(database),
      RABBITMQ_URL: brokerUrl,
      ...settings,
    });
    services.push(service);
    return service;
  };

  describe('when the first service to start on a fresh broker is one that consumes few of the messages', () => {
    it("declares every service's queues and bindings, so nothing it or anyone publishes can miss a subscriber", async () => {
      // A leftover of an older version that consumed events: empty, so it is removed.
      await probe.declareQuorumQueue('payment.events');
      await startPayment({});
      const shared = infrastructure.bindings(vhost).filter((binding) => /^(commands|events) /.test(binding));
      expect(shared.sort()).toEqual(expectedBindings());
      const queues = infrastructure.queues(vhost).map((queue) => queue.name);
      expect(queues).not.toContain('payment.events');
      for (const unconsumed of ['order.commands', 'notification.commands'])
        expect(queues).not.toContain(unconsumed);
    });
  });

  describe('when replicas of a service start with different settings, as in a rolling deploy', () => {
    it('starts every one of them', async () => {
      await startPayment({
        MESSAGING_MAX_ATTEMPTS: '3',
        MESSAGING_RETRY_BASE_MS: '250',
        MESSAGING_PREFETCH: '5',
      });
      await startPayment({
        MESSAGING_MAX_ATTEMPTS: '7',
        MESSAGING_RETRY_BASE_MS: '2000',
        DATABASE_POOL_SIZE: '20',
      });
      for (const service of services) expect((await fetch(`${service.url}/health/ready`)).status).toBe(200);
    });
  });

  describe('when the topology is applied as npm start does', () => {
    it('gives every work queue its delivery limit through a policy', () => {
      const run = spawnSync(
        process.execPath,
        [join(distDir, 'libs/messaging/src/cli/topology.js'), 'apply'],
        {
          encoding: 'utf8',
          env: { ...process.env, RABBITMQ_URL: brokerUrl, MESSAGING_DELIVERY_LIMIT: '15' },
        },
      );
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('delivery-limit 15');
      const policies = Object.fromEntries(
        infrastructure.queues(vhost).map((queue) => [queue.name, queue.policy]),
      );
      for (const queue of systemTopology(consumers).flatMap((service) => service.workQueues)) {
        expect(policies[queue.name]).toBe('work-queue-delivery-limit');
      }
      expect(policies['payment.dlq']).toBe('');
    });
  });
});
