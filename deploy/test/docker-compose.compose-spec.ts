/**
 * `npm run test:compose`: `docker compose up --build` starts a working system. In a compose project of its
 * own it brings up rabbitmq, postgres and every service of apps/ (libs/workspace's list: a generated service
 * is covered with no edit) with `docker compose up -d --build --wait`, without the collector, Jaeger,
 * Mailpit, Prometheus and Grafana. Then it checks each container (healthy, never restarted, non-root, node
 * as PID 1, NODE_ENV=production, /health/ready answering on the host port of its variable); places an order
 * over the published ports until CONFIRMED, with the stock sold, the payment captured and a notification
 * recorded; checks that each service's RabbitMQ user reads no other service's queues, that `guest` cannot
 * log in, and that each PostgreSQL role opens its own database only; that `docker compose stop` ends every
 * service by SIGTERM well within its grace period (else it shows that service's last log lines); that the
 * data survives `down` and `up`. At the end `docker compose down -v`, whatever happened, also on Ctrl-C.
 *
 * Credentials follow docker-compose.yml's conventions: `<PREFIX>_AMQP_PASSWORD` and `<PREFIX>_DB_PASSWORD`
 * (e.g. ORDER_SERVICE_DB_PASSWORD), defaulting to the broker user and the database role.
 *
 * Ports: every published port is a free one below the ephemeral range, so the machine's own PostgreSQL and
 * RabbitMQ, a running `npm start` or another compose stack keep theirs. A variable pins one:
 * `<PREFIX>_HOST_PORT` (ORDER_SERVICE_HOST_PORT ...), POSTGRES_HOST_PORT, RABBITMQ_HOST_PORT,
 * RABBITMQ_MANAGEMENT_HOST_PORT. A pinned port that is in use stops the test before it starts anything, with
 * the port, what holds it and the variable to change: it never stops a server it did not start.
 *
 * Other settings: COMPOSE_TEST_PROJECT (compose project, default nest-saga-compose-test; never the project
 * of your own `docker compose up`, whose volumes would be deleted), COMPOSE_TEST_KEEP=1 (leave the stack
 * running, for debugging; the command that removes it is printed). Every command and its full output, build
 * logs included, go to .build/test-compose.log.
 *
 * Engines. It runs `docker compose ...` and `docker ...` only, against Docker Engine with the Compose v2
 * plugin or Podman's Docker API with docker-compose 1.29 behind a `docker compose` shim (compose-local, as
 * in CI); the engine and Compose version are printed first. What differs between them, for this test:
 * - containers are found by their compose labels, as v1 names them `project_service_1` and v2
 *   `project-service-1`;
 * - `up --wait` is Compose v2's own; the shim emulates it by polling the containers' health;
 * - Docker runs the healthchecks at their `interval` (10 s, so `up --wait` takes longer); compose-local
 *   runs them every 2 s;
 * - compose-local's images are stand-ins (RabbitMQ 3.10 under the 3.13 tag, Debian/glibc under
 *   node:*-alpine), built locally; Docker pulls the real ones;
 * - published ports are held by docker-proxy (Docker) or conmon (Podman): a pinned port held by either is
 *   reported as a container's.
 */
import { BrokerProbe, httpClient, queryDatabase, uniqueSuffix, waitFor } from '@platform/testing';
import { repositoryRoot } from '@platform/workspace';
import { join } from 'node:path';
import {
  brokerAttempt,
  brokerLogin,
  brokerPublishAttempt,
  databaseAttempt,
  databaseLogin,
} from './access-attempts';
import { CommandRunner } from './command-runner';
import { ComposeStack } from './compose-stack';
import { detectContainerEngine } from './container-engine';
import { DeployedService, deployedServices, sagaService } from './deployed-services';
import { chooseHostPorts } from './host-ports';
import { sagaClient } from './saga-client';

const MINUTE = 60_000;
/** stop_grace_period of the application services in docker-compose.yml. */
const STOP_GRACE_SECONDS = 30;

const project = process.env.COMPOSE_TEST_PROJECT || 'nest-saga-compose-test';
const services = deployedServices();
const runner = new CommandRunner(repositoryRoot, join(repositoryRoot, '.build', 'test-compose.log'));
const runId = `${Date.now().toString(36)}${uniqueSuffix()}`;
const sku = `COMPOSE-TEST-${runId.toUpperCase()}`;
const customer = `compose-test-${runId}`;

let stack: ComposeStack | undefined;
/** The first step that later ones depend on and that failed: they then fail at once, naming it. */
let brokenBy: string | undefined;
let anyFailed = false;
/** The order of the saga checks, once CONFIRMED; the restart checks read it again. */
let orderId: string | undefined;
let stopSeconds = Number.NaN;

function running(): ComposeStack {
  if (brokenBy) throw new Error(`not run: "${brokenBy}" failed`);
  if (!stack) throw new Error('not run: the stack was never started');
  return stack;
}

function confirmedOrder(): string {
  if (!orderId) throw new Error('no order was CONFIRMED before (see the order checks)');
  return orderId;
}

/** A check: its failure is remembered, so that the end of the run shows every container's log. */
const check =
  <Row extends unknown[]>(body: (...row: Row) => Promise<void> | void) =>
  async (...row: Row) => {
    try {
      await body(...row);
    } catch (error) {
      anyFailed = true;
      throw error;
    }
  };

/** A step the following checks depend on (bringing the stack up, stopping it ...). */
const prerequisite = (name: string, body: () => Promise<void>) =>
  check(async () => {
    if (brokenBy) throw new Error(`not run: "${brokenBy}" failed`);
    runner.report(name);
    try {
      await body();
    } catch (error) {
      brokenBy = name;
      throw error;
    }
  });

const hostUrl = (service: DeployedService) =>
  `http://127.0.0.1:${running().hostPort(service.hostPortVariable)}`;
const brokerUrl = (user: string, password: string) =>
  `amqp://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:` +
  running().hostPort('RABBITMQ_HOST_PORT');
const databaseUrl = (
  service: DeployedService,
  database: string,
  [role, password] = [service.databaseRole, service.databasePassword],
) =>
  `postgres://${encodeURIComponent(role)}:${encodeURIComponent(password)}` +
  `@127.0.0.1:${running().hostPort('POSTGRES_HOST_PORT')}/${database}`;
const saga = () =>
  sagaClient({
    order: hostUrl(sagaService(services, 'order')),
    inventory: hostUrl(sagaService(services, 'inventory')),
    payment: hostUrl(sagaService(services, 'payment')),
    notification: hostUrl(sagaService(services, 'notification')),
  });

/** Running, healthy, never restarted; not root, node as PID 1 (so SIGTERM reaches it), NODE_ENV=production. */
function expectSoundContainer(service: DeployedService): void {
  const compose = running();
  const container = compose.container(service.app);
  expect(compose.state(container)).toMatchObject({ status: 'running', health: 'healthy', restarts: 0 });
  const [uid, pid1, nodeEnvironment] = compose
    .exec(container, 'id -u; tr "\\0" " " < /proc/1/cmdline; echo; printenv NODE_ENV || true')
    .split('\n')
    .map((line) => line.trim());
  expect({ uid, pid1, nodeEnvironment }).toEqual({
    uid: expect.stringMatching(/^[1-9][0-9]*$/),
    pid1: expect.stringMatching(/^node\s/),
    nodeEnvironment: 'production',
  });
}

describe(`docker compose up --build (project ${project})`, () => {
  afterAll(async () => {
    if (!stack) return;
    if (anyFailed) runner.report(stack.diagnostics());
    runner.report('docker compose down -v');
    await stack.remove();
  }, 6 * MINUTE);

  it(
    'starts rabbitmq, postgres and every service: docker compose up -d --build --wait',
    prerequisite('docker compose up -d --build --wait', async () => {
      const engine = detectContainerEngine(runner);
      const ports = await chooseHostPorts(runner, [
        ...services.map((service) => ({
          variable: service.hostPortVariable,
          purpose: `${service.app} HTTP`,
        })),
        { variable: 'POSTGRES_HOST_PORT', purpose: 'PostgreSQL' },
        { variable: 'RABBITMQ_HOST_PORT', purpose: 'RabbitMQ AMQP' },
        { variable: 'RABBITMQ_MANAGEMENT_HOST_PORT', purpose: 'RabbitMQ management UI' },
      ]);
      const apps = services.map((service) => service.app);
      const compose = new ComposeStack(
        runner,
        project,
        ['rabbitmq', 'postgres', ...apps],
        ports,
        process.env.COMPOSE_TEST_KEEP === '1',
      );
      const declared = compose.declaredServices();
      const undeclared = apps.filter((app) => !declared.includes(app));
      if (undeclared.length > 0) {
        throw new Error(
          `docker-compose.yml has no service ${undeclared.join(', ')} (apps/ has it): add its block`,
        );
      }
      const published = Object.entries(ports).map(([variable, port]) => `${variable}=${port}`);
      runner.report(`${engine.engine}, Compose ${engine.composeVersion}; ${published.join(' ')}`);
      runner.report(`commands and their output: ${runner.logFile}`);
      await compose.removeLeftovers();
      stack = compose;
      runner.report(`building and starting ${apps.join(', ')} (minutes on a cold build cache)`);
      await compose.up({ build: true });
    }),
    25 * MINUTE,
  );

  it.each(services)(
    'runs $app healthy, as a non-root user, with node as PID 1 and NODE_ENV=production',
    check(expectSoundContainer),
  );

  it.each(services)(
    'publishes $app on the host port $hostPortVariable, where /health/ready answers 200',
    check(async (service) => {
      const answer = await httpClient(hostUrl(service), { timeoutMs: 10_000 }).get('/health/ready');
      expect(answer.status).toBe(200);
    }),
  );

  describe('an order placed over the published ports', () => {
    it(
      'is CONFIRMED, with its total priced by inventory',
      check(async () => {
        const client = saga();
        const product = await client.putProduct(sku, {
          name: 'compose test product',
          price: 12.5,
          stock: 10,
        });
        expect(product.available).toBe(10);
        await client.putAccount(customer, 100);
        const id = await client.placeOrder(customer, sku, 3, `${customer}-1`);
        expect(await client.finishedOrder(id)).toMatchObject({ status: 'CONFIRMED', total: 37.5 });
        orderId = id;
      }),
      2 * MINUTE,
    );

    it(
      'sells the stock: 10 available becomes 7, none left reserved',
      check(async () => {
        confirmedOrder();
        // CONFIRMED comes first; inventory settles the reservation when OrderConfirmed reaches it.
        const stock = await waitFor(
          `${sku} to have 7 available and 0 reserved`,
          async () => {
            const product = await saga().product(sku);
            return product.available === 7 && product.reserved === 0 ? product : undefined;
          },
          20_000,
          250,
        );
        expect(stock).toMatchObject({ available: 7, reserved: 0 });
      }),
    );

    it(
      'captures one payment of the total',
      check(async () => {
        expect(await saga().payments(confirmedOrder())).toEqual([
          expect.objectContaining({ status: 'CAPTURED', amount: 37.5 }),
        ]);
      }),
    );

    it(
      'records a notification of the confirmation',
      check(async () => {
        // Mailpit is not started: the notification stays PENDING while its delivery is retried (SENT where
        // a mail catcher answers); either way notification-service handled OrderConfirmed.
        const id = confirmedOrder();
        const notifications = await waitFor(
          `a notification of order ${id}`,
          async () => {
            const list = await saga().notifications(id);
            return list.length > 0 ? list : undefined;
          },
          20_000,
          250,
        );
        expect(notifications[0]).toMatchObject({ orderId: id, type: 'ORDER_CONFIRMED' });
      }),
    );
  });

  describe('RabbitMQ users', () => {
    it.each(services)(
      "$brokerUser reads its own queues and is refused (403) reading, filling or purging every other service's, publishing its events or deleting a shared exchange",
      check(async (service) => {
        const probe = await BrokerProbe.open(brokerUrl(service.brokerUser, service.brokerPassword));
        try {
          // Its own dead-letter queue has no consumer: reading it shows the refusals below are permissions.
          const own = await brokerAttempt(probe, async (channel) => {
            const { consumerTag } = await channel.consume(`${service.name}.dlq`, () => undefined);
            await channel.cancel(consumerTag);
          });
          const outcomes: Record<string, string> = { [`consume ${service.name}.dlq`]: own };
          for (const other of services.filter((candidate) => candidate !== service)) {
            for (const queue of ['commands', 'events', 'dlq'].map((kind) => `${other.name}.${kind}`)) {
              outcomes[`consume ${queue}`] = await brokerAttempt(probe, (channel) =>
                channel.consume(queue, () => undefined),
              );
              outcomes[`get ${queue}`] = await brokerAttempt(probe, (channel) => channel.get(queue));
            }
            // Neither fill its queues (the default exchange reaches every queue) nor publish its events.
            outcomes[`fill ${other.name}.dlq`] = await brokerPublishAttempt(probe, '', `${other.name}.dlq`);
            outcomes[`publish ${other.name}.Forged`] = await brokerPublishAttempt(
              probe,
              'events',
              `${other.name}.Forged`,
            );
            outcomes[`purge ${other.name}.dlq`] = await brokerAttempt(probe, (channel) =>
              channel.purgeQueue(`${other.name}.dlq`),
            );
          }
          outcomes['delete exchange commands'] = await brokerAttempt(probe, (channel) =>
            channel.deleteExchange('commands'),
          );
          const expected = Object.fromEntries(
            Object.keys(outcomes).map((attempt) => [
              attempt,
              attempt.endsWith(` ${service.name}.dlq`) ? 'ok' : '403',
            ]),
          );
          expect(outcomes).toEqual(expected);
        } finally {
          await probe.close();
        }
      }),
    );

    it(
      'refuses guest/guest',
      check(async () => {
        expect(await brokerLogin(brokerUrl('guest', 'guest'))).toBe('ACCESS_REFUSED');
      }),
    );
  });

  describe('PostgreSQL roles', () => {
    it.each(services)(
      '$databaseRole opens its own database $database and is refused (42501) on every other',
      check(async (service) => {
        const others = [
          ...services.filter((other) => other !== service).map((other) => other.database),
          'postgres',
        ];
        const outcomes: Record<string, string> = {};
        for (const database of [service.database, ...others]) {
          outcomes[database] = await databaseLogin(databaseUrl(service, database));
        }
        expect(outcomes).toEqual({
          [service.database]: `ok ${service.databaseRole}@${service.database}`,
          ...Object.fromEntries(others.map((database) => [database, '42501'])),
        });
      }),
    );

    it.each(services)(
      '$databaseRole reads and writes its tables but changes no schema; $migrationRole owns them',
      check(async (service) => {
        const runtime = databaseUrl(service, service.database);
        const statements = {
          'read a table': 'SELECT count(*) FROM outbox',
          'write a table': 'UPDATE outbox SET published_at = published_at WHERE false',
          'read the migrations': 'SELECT count(*) FROM migrations',
          'create a table': 'CREATE TABLE intruder (id int)',
          'alter a table': 'ALTER TABLE outbox ADD COLUMN intruder int',
          'drop a table': 'DROP TABLE inbox',
          'truncate a table': 'TRUNCATE outbox',
          'write the migrations': `DELETE FROM migrations`,
        };
        const outcomes: Record<string, string> = {};
        for (const [label, sql] of Object.entries(statements))
          outcomes[label] = await databaseAttempt(runtime, sql);
        expect(outcomes).toEqual({
          'read a table': 'ok',
          'write a table': 'ok',
          'read the migrations': 'ok',
          'create a table': '42501',
          'alter a table': '42501',
          'drop a table': '42501',
          'truncate a table': '42501',
          'write the migrations': '42501',
        });
        const [owners] = await queryDatabase<{ others: string }>(
          databaseUrl(service, service.database, [service.migrationRole, service.migrationPassword]),
          `SELECT count(*) AS others FROM pg_tables WHERE schemaname = 'public' AND tableowner <> current_user`,
        );
        expect(owners).toEqual({ others: '0' });
      }),
    );
  });

  it.each(services)(
    'keeps $app healthy without the collector, Jaeger and Mailpit',
    check(expectSoundContainer),
  );

  describe('docker compose stop', () => {
    it(
      'stops every container',
      prerequisite('docker compose stop', async () => {
        stopSeconds = await running().stop();
      }),
      6 * MINUTE,
    );

    it.each(services)(
      'ends $app by SIGTERM: node closes and exits 0 by itself, not by SIGKILL',
      check((service) => {
        const compose = running();
        const container = compose.container(service.app);
        // 0: node exited after its shutdown hooks. 1 would be a shutdown that failed or outlasted
        // SHUTDOWN_TIMEOUT_MS; 137 the SIGKILL at the end of the grace period: SIGTERM did not reach node.
        const { exitCode } = compose.state(container);
        if (exitCode !== 0) {
          throw new Error(
            `${service.app} exited with ${exitCode}; its last lines:\n${compose.logTail(container, 30)}`,
          );
        }
      }),
    );

    it(
      `stops them all well within the grace period (${STOP_GRACE_SECONDS} s)`,
      check(() => {
        running();
        expect(stopSeconds).toBeLessThan(STOP_GRACE_SECONDS);
      }),
    );
  });

  describe('after docker compose down and up again (volumes kept)', () => {
    it(
      'comes up again: docker compose down; docker compose up -d --wait',
      prerequisite('docker compose down; docker compose up -d --wait', async () => {
        await running().down();
        await running().up({ build: false });
      }),
      16 * MINUTE,
    );

    it(
      'still has the order CONFIRMED and the stock sold',
      check(async () => {
        const id = confirmedOrder();
        expect(await saga().order(id)).toMatchObject({ id, status: 'CONFIRMED' });
        expect(await saga().product(sku)).toMatchObject({ available: 7, reserved: 0 });
      }),
    );

    it(
      'confirms a new order',
      check(async () => {
        const client = saga();
        const id = await client.placeOrder(customer, sku, 1, `${customer}-2`);
        expect(await client.finishedOrder(id)).toMatchObject({ status: 'CONFIRMED' });
        expect(await client.product(sku)).toMatchObject({ available: 6 });
      }),
      2 * MINUTE,
    );
  });
});
