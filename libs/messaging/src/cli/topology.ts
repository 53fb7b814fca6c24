/**
 * `npm run topology -- apply` declares the whole system's exchanges, work queues, dead-letter queues and
 * bindings on RABBITMQ_URL and sets the delivery-limit policy (through RABBITMQ_MANAGEMENT_URL if given, else
 * with a local `rabbitmqctl`), so no message can be published before its subscribers' queues exist.
 * `npm start` and `npm run start:<service>` run it first. `npm run topology -- definitions [file]` prints
 * the same topology as RabbitMQ definitions, or writes it into an existing definitions file (keeping its
 * users), as compose's broker loads at boot, with each service user's least-privilege permissions derived
 * from the contracts (other users' permissions are kept).
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { connect } from 'amqplib';
import { z } from 'zod';
import { integer, loadConfig, url } from '@platform/config';
import { brokerUserOf, consumers } from '@platform/contracts';
import { brokerDefinitions } from '../broker/broker-definitions';
import { declareSystemTopology } from '../broker/declare-topology';
import {
  brokerPermissions,
  DEFAULT_DELIVERY_LIMIT,
  deliveryLimitPolicy,
  systemTopology,
} from '../broker/topology';

const usage = 'usage: npm run topology -- apply | definitions [definitions.json]';

const environment = z.object({
  RABBITMQ_URL: url(['amqp:', 'amqps:'], 'amqp://guest:guest@127.0.0.1:5672'),
  RABBITMQ_MANAGEMENT_URL: url(['http:', 'https:']),
  MESSAGING_DELIVERY_LIMIT: integer(DEFAULT_DELIVERY_LIMIT, 1, 1000),
});
type Environment = z.output<typeof environment>;

async function main(): Promise<number> {
  const [action, file] = process.argv.slice(2);
  const env = loadConfig(environment, process.env);
  if (action === 'apply') return apply(env);
  if (action === 'definitions') return definitions(env, file);
  console.error(usage);
  return 2;
}

async function apply(env: Environment): Promise<number> {
  const connection = await connect(env.RABBITMQ_URL!);
  try {
    await declareSystemTopology(connection, systemTopology(consumers));
  } finally {
    await connection.close().catch(() => undefined);
  }
  console.log(`topology: declared the queues and bindings of ${Object.keys(consumers).join(', ')}`);
  const policy = await applyPolicy(env);
  console.log(`topology: ${policy}`);
  return 0;
}

/** Sets the delivery-limit policy; says how, or why it could not (a warning: services still work). */
async function applyPolicy(env: Environment): Promise<string> {
  const broker = new URL(env.RABBITMQ_URL!);
  const vhost = decodeURIComponent(broker.pathname.replace(/^\//, '')) || '/';
  const policy = deliveryLimitPolicy(env.MESSAGING_DELIVERY_LIMIT);
  const what = `policy ${policy.name} (delivery-limit ${env.MESSAGING_DELIVERY_LIMIT}) on vhost ${vhost}`;
  if (env.RABBITMQ_MANAGEMENT_URL) {
    const api = new URL(env.RABBITMQ_MANAGEMENT_URL);
    const user = decodeURIComponent(api.username || broker.username);
    const password = decodeURIComponent(api.password || broker.password);
    api.username = api.password = '';
    const response = await fetch(
      new URL(
        `api/policies/${encodeURIComponent(vhost)}/${policy.name}`,
        api.toString().replace(/\/?$/, '/'),
      ),
      {
        method: 'PUT',
        headers: {
          authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          pattern: policy.pattern,
          definition: policy.definition,
          priority: policy.priority,
          'apply-to': policy.applyTo,
        }),
      },
    );
    if (!response.ok)
      throw new Error(`setting ${what} failed: HTTP ${response.status} ${await response.text()}`);
    return `set ${what} through the management API`;
  }
  try {
    await promisify(execFile)('rabbitmqctl', [
      '-q',
      'set_policy',
      '-p',
      vhost,
      '--apply-to',
      policy.applyTo,
      '--priority',
      String(policy.priority),
      policy.name,
      policy.pattern,
      JSON.stringify(policy.definition),
    ]);
    return `set ${what} with rabbitmqctl`;
  } catch (error) {
    return (
      `WARNING: could not set ${what} (${(error as Error).message.split('\n')[0]}). Messages keep being ` +
      `retried and parked by the services, but RabbitMQ itself will not cap deliveries: set ` +
      `RABBITMQ_MANAGEMENT_URL, or run this where rabbitmqctl reaches the broker.`
    );
  }
}

function definitions(env: Environment, file?: string): number {
  const topology = brokerDefinitions(systemTopology(consumers), env.MESSAGING_DELIVERY_LIMIT);
  const { permissions, topicPermissions } = brokerPermissions(consumers, brokerUserOf);
  if (!file) {
    console.log(JSON.stringify({ ...topology, permissions, topic_permissions: topicPermissions }, null, 2));
    return 0;
  }
  const existing = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const serviceUsers = new Set(permissions.map((permission) => permission.user));
  const others = (key: string) =>
    ((existing[key] ?? []) as Array<{ user: string }>).filter((entry) => !serviceUsers.has(entry.user));
  const merged = {
    ...existing,
    permissions: [...others('permissions'), ...permissions],
    topic_permissions: [...others('topic_permissions'), ...topicPermissions],
    ...topology,
  };
  writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
  console.error(`topology: wrote exchanges, queues, bindings, policies and service permissions into ${file}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`topology: ${error.message}`);
    process.exit(1);
  },
);
