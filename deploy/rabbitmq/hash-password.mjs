#!/usr/bin/env node
// RabbitMQ password hashes (rabbit_password_hashing_sha256) for deploy/rabbitmq/definitions.json.
//
//   node deploy/rabbitmq/hash-password.mjs <password>        print one password_hash
//   node deploy/rabbitmq/hash-password.mjs --definitions     rewrite definitions.json's users and permissions
//   node deploy/rabbitmq/hash-password.mjs --service <name>  print one service's user and permissions (the
//                                                            service generator adds them to definitions.json)
//
// --definitions takes the passwords from the same environment variables as docker-compose.yml
// (RABBITMQ_ADMIN_PASSWORD, ORDER_SERVICE_AMQP_PASSWORD, ...; default: the user name) and rewrites
// deploy/rabbitmq/definitions.json in place, keeping the topology already in it (`npm run topology --
// definitions` writes that part); then `docker compose restart rabbitmq` (it imports the file at every start).
//
// hash = base64(salt + sha256(salt + utf8(password))), salt = 4 random bytes.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { serviceNames } from '../../scripts/services.mjs';

export function rabbitPasswordHash(password, salt = randomBytes(4)) {
  const digest = createHash('sha256')
    .update(Buffer.concat([salt, Buffer.from(password, 'utf8')]))
    .digest();
  return Buffer.concat([salt, digest]).toString('base64');
}

// Every service of the repository (apps/*/service.json), by short name.
const SERVICES = serviceNames().map((app) => app.replace(/-service$/, ''));
const HASHING = 'rabbit_password_hashing_sha256';
const DEFINITIONS = new URL('./definitions.json', import.meta.url);

/** One service's RabbitMQ user (password from <SERVICE>_AMQP_PASSWORD, default its name) and permissions. */
export function serviceUser(s) {
  const user = `${s}-service`;
  const envVar = `${user.replaceAll('-', '_').toUpperCase()}_AMQP_PASSWORD`;
  return {
    user: {
      name: user,
      password_hash: rabbitPasswordHash(process.env[envVar] || user),
      hashing_algorithm: HASHING,
      tags: '',
    },
    // Its own queues and exchanges only; `npm run topology -- definitions` narrows write to the shared
    // exchanges it publishes to (and topic permissions to its routing keys), from the contracts.
    permission: {
      user,
      vhost: '/',
      configure: `^${s}\\..*$`,
      write: `^(${s}\\..*|events)$`,
      read: `^(${s}\\..*|commands|events)$`,
    },
  };
}

function definitions() {
  const admin = process.env.RABBITMQ_ADMIN_PASSWORD || 'admin';
  const users = [
    {
      name: 'admin',
      password_hash: rabbitPasswordHash(admin),
      hashing_algorithm: HASHING,
      tags: 'administrator',
    },
  ];
  const permissions = [{ user: 'admin', vhost: '/', configure: '.*', write: '.*', read: '.*' }];
  const current = existsSync(DEFINITIONS) ? JSON.parse(readFileSync(DEFINITIONS, 'utf8')) : {};
  for (const s of SERVICES) {
    const entry = serviceUser(s);
    users.push(entry.user);
    // Permissions derived from the contracts (npm run topology -- definitions) are kept as they are.
    permissions.push(current.permissions?.find((p) => p.user === entry.user.name) ?? entry.permission);
  }
  // The topology (queues, exchanges, bindings, policies) is written by `npm run topology -- definitions`;
  // keep what the current file has, so new passwords never drop the queues the broker must load at boot.
  return {
    users,
    vhosts: [{ name: '/' }],
    permissions,
    topic_permissions: current.topic_permissions ?? [],
    parameters: current.parameters ?? [],
    global_parameters: current.global_parameters ?? [],
    policies: current.policies ?? [],
    queues: current.queues ?? [],
    exchanges: current.exchanges ?? [],
    bindings: current.bindings ?? [],
  };
}

const arg = process.argv[2];
if (arg === '--definitions') {
  writeFileSync(DEFINITIONS, JSON.stringify(definitions(), null, 2) + '\n');
  process.stdout.write(`wrote the users and permissions of ${DEFINITIONS.pathname}\n`);
} else if (arg === '--service' && process.argv[3]) {
  process.stdout.write(JSON.stringify(serviceUser(process.argv[3])) + '\n');
} else if (arg !== undefined && arg !== '--help' && arg !== '-h') {
  process.stdout.write(rabbitPasswordHash(arg) + '\n');
} else {
  process.stderr.write('usage: hash-password.mjs <password> | --definitions | --service <short name>\n');
  process.exit(arg === undefined ? 2 : 0);
}
