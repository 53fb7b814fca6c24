#!/usr/bin/env node
// RabbitMQ password hashes (rabbit_password_hashing_sha256) for deploy/rabbitmq/definitions.json.
//
//   node deploy/rabbitmq/hash-password.mjs <password>        print one password_hash
//   node deploy/rabbitmq/hash-password.mjs --definitions     print a full definitions.json
//
// --definitions takes the passwords from the same environment variables as docker-compose.yml
// (RABBITMQ_ADMIN_PASSWORD, ORDER_SERVICE_AMQP_PASSWORD, ...; default: the user name), so
//   node deploy/rabbitmq/hash-password.mjs --definitions > deploy/rabbitmq/definitions.json
// regenerates the file after changing them; then `docker compose restart rabbitmq` (it imports the file
// at every start).
//
// hash = base64(salt + sha256(salt + utf8(password))), salt = 4 random bytes.
import { createHash, randomBytes } from 'node:crypto';
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
  for (const s of SERVICES) {
    const user = `${s}-service`;
    const envVar = `${user.replaceAll('-', '_').toUpperCase()}_AMQP_PASSWORD`;
    users.push({
      name: user,
      password_hash: rabbitPasswordHash(process.env[envVar] || user),
      hashing_algorithm: HASHING,
      tags: '',
    });
    permissions.push({
      user,
      vhost: '/',
      configure: `^(${s}\\..*|commands|events)$`,
      write: `^(${s}\\..*|commands|events|amq\\.default)$`,
      read: `^(${s}\\..*|commands|events)$`,
    });
  }
  return {
    users,
    vhosts: [{ name: '/' }],
    permissions,
    topic_permissions: [],
    parameters: [],
    global_parameters: [],
    policies: [],
    queues: [],
    exchanges: [],
    bindings: [],
  };
}

const arg = process.argv[2];
if (arg === '--definitions') {
  process.stdout.write(JSON.stringify(definitions(), null, 2) + '\n');
} else if (arg !== undefined && arg !== '--help' && arg !== '-h') {
  process.stdout.write(rabbitPasswordHash(arg) + '\n');
} else {
  process.stderr.write('usage: hash-password.mjs <password> | --definitions\n');
  process.exit(arg === undefined ? 2 : 0);
}
