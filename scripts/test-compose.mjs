// `npm run test:compose`: proves that `docker compose up --build` starts a working system.
//
// 1. brings the application and its infrastructure up with exactly
//    `docker compose up -d --build --wait rabbitmq postgres order-service inventory-service payment-service notification-service`
//    (without the collector, Jaeger, Mailpit, Prometheus and Grafana), in its own compose project;
// 2. checks the containers (non-root, NODE_ENV=production, node as PID 1, healthy);
// 3. seeds a product and an account, places an order over REST on the published ports, waits for
//    CONFIRMED, the stock change, the payment and the notification;
// 4. checks that each service's RabbitMQ user cannot read another service's queues (403 ACCESS_REFUSED),
//    that `guest` cannot log in, and that each PostgreSQL role opens its own database and no other;
// 5. `docker compose stop` (SIGTERM must stop every service gracefully, well within its grace period),
//    `docker compose down` (volumes kept), up again: the order is still there and a new order confirms;
// 6. `docker compose down -v`, whatever happened (also on Ctrl-C), and starts again the machine's own
//    PostgreSQL or RabbitMQ if it had to stop them.
//
// Ports. The services are published on 3000-3003 (ORDER_SERVICE_HOST_PORT, INVENTORY_SERVICE_HOST_PORT,
// PAYMENT_SERVICE_HOST_PORT, NOTIFICATION_SERVICE_HOST_PORT override them); if one is in use the test
// stops at once and says by what. The containers' PostgreSQL, RabbitMQ and RabbitMQ UI go to the first
// free ports from 55432, 55672 and 55673, so the machine's own PostgreSQL (5432) and RabbitMQ (5672)
// keep running. POSTGRES_HOST_PORT, RABBITMQ_HOST_PORT, RABBITMQ_MANAGEMENT_HOST_PORT pin them; a pinned
// port held by the machine's own PostgreSQL or RabbitMQ stops that server for the test and starts it
// again at the end; held by anything else, the test stops.
//
// Other settings: COMPOSE_TEST_PROJECT (compose project name, default nest-saga-compose-test; never the
// project of your own `docker compose up`, whose data would otherwise be wiped), COMPOSE_TEST_KEEP=1
// (leave the stack running at the end, for debugging; take it down with the command printed).
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import amqp from 'amqplib';
import pg from 'pg';
import { root } from './services.mjs';

const env = process.env;
const project = env.COMPOSE_TEST_PROJECT || 'nest-saga-compose-test';
const keep = env.COMPOSE_TEST_KEEP === '1';
const UP = [
  'compose',
  'up',
  '-d',
  '--build',
  '--wait',
  'rabbitmq',
  'postgres',
  'order-service',
  'inventory-service',
  'payment-service',
  'notification-service',
];
// Every command this test runs, with its full output (build logs included).
const logFile = join(root, '.build', 'test-compose.log');
const STOP_GRACE_SECONDS = 30; // stop_grace_period of the application services in docker-compose.yml

const services = [
  { name: 'order', app: 'order-service', port: 3000, db: 'orders', role: 'order_service' },
  { name: 'inventory', app: 'inventory-service', port: 3001, db: 'inventory', role: 'inventory_service' },
  { name: 'payment', app: 'payment-service', port: 3002, db: 'payments', role: 'payment_service' },
  {
    name: 'notification',
    app: 'notification-service',
    port: 3003,
    db: 'notifications',
    role: 'notification_service',
  },
].map((s) => {
  const prefix = s.app.replace('-', '_').toUpperCase(); // ORDER_SERVICE
  return {
    ...s,
    hostPortVar: `${prefix}_HOST_PORT`,
    amqpUser: s.app,
    amqpPassword: env[`${prefix}_AMQP_PASSWORD`] || s.app,
    dbPassword: env[`${prefix}_DB_PASSWORD`] || s.role,
  };
});

// ---------------------------------------------------------------------------------------------- output
const t0 = Date.now();
const elapsed = (since = t0) => `${((Date.now() - since) / 1000).toFixed(1)}s`;
const log = (message) => console.log(`[test:compose ${elapsed()}] ${message}`);
const results = [];

class Abort extends Error {}

/** Runs one check and records it; a failed critical check ends the test (the rest depends on it). */
async function check(name, fn, { critical = false } = {}) {
  const started = Date.now();
  log(`${name} ...`);
  try {
    const detail = await fn();
    results.push({ name, ok: true, detail, time: elapsed(started) });
    log(`PASS ${name}${detail ? `: ${detail}` : ''} (${elapsed(started)})`);
  } catch (error) {
    results.push({ name, ok: false, detail: error.message, time: elapsed(started) });
    log(`FAIL ${name}: ${error.message} (${elapsed(started)})`);
    if (critical) throw new Abort(name);
  }
}

function summary() {
  const failed = results.filter((r) => !r.ok);
  const width = Math.max(...results.map((r) => r.name.length), 10);
  console.log('\n== test:compose summary');
  for (const r of results) {
    console.log(
      `${r.ok ? 'PASS' : 'FAIL'}  ${r.name.padEnd(width)}  ${r.time.padStart(6)}  ${r.ok ? (r.detail ?? '') : r.detail}`,
    );
  }
  const verdict = failed.length === 0 && results.length > 0 ? 'PASS' : 'FAIL';
  console.log(
    `== ${verdict}: ${results.length - failed.length} of ${results.length} checks passed in ${elapsed()}` +
      ` (commands and their output: ${logFile})`,
  );
  return verdict === 'PASS';
}

// ---------------------------------------------------------------------------------------------- shell
function run(command, args, { env: extraEnv = {}, quiet = true, allowFail = false, timeoutMs } = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    env: { ...env, ...extraEnv },
    encoding: 'utf8',
    stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  appendFileSync(
    logFile,
    `\n$ ${command} ${args.join(' ')}  (exit ${result.status ?? result.signal})\n${output}`,
  );
  if (!allowFail && (result.error || result.status !== 0)) {
    const tail = output.trim().split('\n').slice(-40).join('\n');
    const why = result.error ? result.error.message : `exit ${result.status ?? result.signal}`;
    throw new Error(`${command} ${args.join(' ')}: ${why}${tail ? `\n${tail}` : ''}`);
  }
  return { status: result.status, output, stdout: result.stdout ?? '' };
}

/**
 * Like run, for the long commands (build, up, stop, down): asynchronous, so that SIGINT/SIGTERM reach
 * this process's handlers meanwhile; in its own process group, which the handlers stop.
 */
let running;
function runAsync(command, args, { env: extraEnv = {}, allowFail = false, timeoutMs } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    running = child;
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = timeoutMs && setTimeout(() => stopRunning('SIGTERM'), timeoutMs);
    const done = (status, why) => {
      clearTimeout(timer);
      running = undefined;
      appendFileSync(logFile, `\n$ ${command} ${args.join(' ')}  (${why})\n${output}`);
      if (!allowFail && status !== 0) {
        const tail = output.trim().split('\n').slice(-40).join('\n');
        reject(new Error(`${command} ${args.join(' ')}: ${why}${tail ? `\n${tail}` : ''}`));
      } else {
        resolve({ status, output, stdout: output });
      }
    };
    child.on('error', (error) => done(null, error.message));
    child.on('close', (code, signal) =>
      done(
        code,
        code === null
          ? `killed by ${signal}${timeoutMs ? ` (timeout ${timeoutMs / 1000}s?)` : ''}`
          : `exit ${code}`,
      ),
    );
  });
}

function stopRunning(signal) {
  if (!running) return;
  try {
    process.kill(-running.pid, signal);
  } catch {
    // already gone
  }
}

let composeEnv = {};
const composeArgs = (args) => ['compose', ...args];
const composeOptions = (options) => ({ ...options, env: { ...composeEnv, ...options.env } });
/** `docker compose ...` in the test's project with its ports; resolves to { status, output }. */
const compose = (args, options = {}) => runAsync('docker', composeArgs(args), composeOptions(options));
/** The same, synchronous: for the clean-up, which also runs from signal handlers. */
const composeSync = (args, options = {}) => run('docker', composeArgs(args), composeOptions(options));
/** Container ids of the project by service name (one `docker ps`: faster than `docker compose ps` per service). */
function containers() {
  const out = run('docker', [
    'ps',
    '-a',
    '--filter',
    `label=com.docker.compose.project=${composeEnv.COMPOSE_PROJECT_NAME}`,
    '--format',
    '{{.ID}} {{.Label "com.docker.compose.service"}}',
  ]).stdout;
  return Object.fromEntries(
    out
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ').reverse()),
  );
}

// ---------------------------------------------------------------------------------------------- ports
/** Who listens on a TCP port, from `ss`: e.g. `postgres (pid 123)`; '' when nobody or unknown. */
function listenerOf(port) {
  const out = run('ss', ['-ltnpH', `( sport = :${port} )`], { allowFail: true }).stdout.trim();
  if (!out) return '';
  const match = out.match(/users:\(\("([^"]+)",pid=(\d+)/);
  if (!match) return 'another process';
  const container = ['conmon', 'docker-proxy', 'rootlessport'].includes(match[1])
    ? ', a container: see docker ps'
    : '';
  return `${match[1]} (pid ${match[2]}${container})`;
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function firstFreePort(from) {
  for (let port = from; port < from + 100; port++) {
    if ((await portIsFree(port)) && !listenerOf(port)) return port;
  }
  throw new Error(`no free port in ${from}-${from + 99}`);
}

// The machine's own servers, stopped only if a pinned port needs them gone; started again at the end.
const stoppedMachineServers = [];

function stopMachinePostgres(port) {
  const clusters = run('pg_lsclusters', ['-h'], { allowFail: true }).stdout.trim().split('\n');
  const cluster = clusters
    .map((line) => line.split(/\s+/))
    .find((c) => c[2] === String(port) && c[3] === 'online');
  if (!cluster) throw new Error(`port ${port} is held by a PostgreSQL that is not a pg_lsclusters cluster`);
  const [version, name] = cluster;
  log(
    `stopping the machine's PostgreSQL ${version}/${name} (port ${port} is needed); it is started again at the end`,
  );
  run('pg_ctlcluster', ['--skip-systemctl-redirect', version, name, 'stop']);
  stoppedMachineServers.push({
    what: `PostgreSQL ${version}/${name}`,
    start: () => run('pg_ctlcluster', ['--skip-systemctl-redirect', version, name, 'start']),
  });
}

function stopMachineRabbitmq() {
  if (stoppedMachineServers.some((server) => server.what === 'RabbitMQ')) return;
  log("stopping the machine's RabbitMQ app (rabbitmqctl stop_app); it is started again at the end");
  run('rabbitmqctl', ['-q', 'stop_app'], { timeoutMs: 60_000 });
  stoppedMachineServers.push({
    what: 'RabbitMQ',
    start: () => run('rabbitmqctl', ['-q', 'start_app'], { timeoutMs: 120_000 }),
  });
}

async function choosePorts() {
  const chosen = {};
  const busy = [];
  for (const s of services) {
    const port = Number(env[s.hostPortVar] || s.port);
    chosen[s.hostPortVar] = String(port);
    if (!(await portIsFree(port)))
      busy.push(`${port} (${s.app}) is in use by ${listenerOf(port) || 'another process'}`);
  }
  if (busy.length > 0) {
    throw new Error(
      `the services' host ports are taken: ${busy.join('; ')}. Stop what uses them (a running ` +
        '`npm start` or `docker compose up`?) or publish elsewhere, e.g. ORDER_SERVICE_HOST_PORT=13000 ' +
        'INVENTORY_SERVICE_HOST_PORT=13001 PAYMENT_SERVICE_HOST_PORT=13002 NOTIFICATION_SERVICE_HOST_PORT=13003',
    );
  }
  const infra = [
    { variable: 'POSTGRES_HOST_PORT', from: 55432, machine: 'postgres', stop: stopMachinePostgres },
    { variable: 'RABBITMQ_HOST_PORT', from: 55672, machine: 'beam.smp', stop: stopMachineRabbitmq },
    {
      variable: 'RABBITMQ_MANAGEMENT_HOST_PORT',
      from: 55673,
      machine: 'beam.smp',
      stop: stopMachineRabbitmq,
    },
  ];
  for (const { variable, from, machine, stop } of infra) {
    if (!env[variable]) {
      let port = await firstFreePort(from);
      while (Object.values(chosen).includes(String(port))) port = await firstFreePort(port + 1);
      chosen[variable] = String(port);
      continue;
    }
    const port = Number(env[variable]);
    chosen[variable] = String(port);
    if (await portIsFree(port)) continue;
    const holder = listenerOf(port);
    if (holder.startsWith(`${machine} `)) {
      stop(port);
      if (!(await portIsFree(port))) throw new Error(`port ${port} still in use after stopping ${holder}`);
    } else {
      throw new Error(
        `${variable}=${port} is in use by ${holder || 'another process'}; unset it to pick a free port`,
      );
    }
  }
  return chosen;
}

// ---------------------------------------------------------------------------------------------- http
const hostUrl = (service) => `http://127.0.0.1:${composeEnv[service.hostPortVar]}`;
const [order, inventory, payment, notification] = services;

async function http(method, url, body, headers = {}) {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  }).catch((error) => {
    throw new Error(`${method} ${url}: ${error.cause?.code ?? error.message}`);
  });
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

async function expectStatus(method, url, body, expected, headers) {
  const response = await http(method, url, body, headers);
  if (response.status !== expected) {
    throw new Error(
      `${method} ${url}: expected ${expected}, got ${response.status} ${response.text.slice(0, 300)}`,
    );
  }
  return response.json;
}

async function poll(what, fn, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn().catch((error) => ({ error }));
    if (last && last.done) return last.value;
    if (last && last.fail) throw new Error(last.fail);
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: not after ${timeoutMs / 1000}s (last: ${last?.error?.message ?? JSON.stringify(last?.value)})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function waitForOrder(id, timeoutMs = 60_000) {
  return poll(
    `order ${id} CONFIRMED`,
    async () => {
      const body = await expectStatus('GET', `${hostUrl(order)}/orders/${id}`, undefined, 200);
      if (body.status === 'CONFIRMED') return { done: true, value: body };
      if (body.status === 'CANCELLED') return { fail: `order ${id} CANCELLED: ${body.cancellationReason}` };
      return { value: body.status };
    },
    timeoutMs,
  );
}

async function placeOrder(customerId, sku, quantity, key) {
  const response = await http(
    'POST',
    `${hostUrl(order)}/orders`,
    { customerId, items: [{ sku, quantity }] },
    { 'Idempotency-Key': key },
  );
  if (response.status !== 202) {
    throw new Error(`POST /orders: expected 202, got ${response.status} ${response.text.slice(0, 300)}`);
  }
  return response.json.id;
}

// ---------------------------------------------------------------------------------------------- checks
const runId = Date.now().toString(36).toUpperCase();
const sku = `COMPOSE-TEST-${runId}`;
const customer = `compose-test-${runId.toLowerCase()}`;
const state = {};

async function checkContainers() {
  const facts = [];
  const ids = containers();
  for (const s of services) {
    const id = ids[s.app];
    if (!id) throw new Error(`${s.app}: no container`);
    const inspect = run('docker', [
      'inspect',
      '--format',
      '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}} {{.RestartCount}}',
      id,
    ]).stdout.trim();
    const [status, health, restarts] = inspect.split(' ');
    if (status !== 'running' || health !== 'healthy')
      throw new Error(`${s.app}: ${status} ${health || 'no healthcheck'}`);
    if (restarts !== '0') throw new Error(`${s.app}: restarted ${restarts} times (crashed?)`);
    const inside = run('docker', [
      'exec',
      id,
      'sh',
      '-c',
      'id -u; tr "\\0" " " < /proc/1/cmdline; echo; printenv NODE_ENV',
    ]).stdout.split('\n');
    const [uid, pid1, nodeEnv] = inside.map((line) => line.trim());
    if (uid === '0') throw new Error(`${s.app} runs as root`);
    if (!/^node\s/.test(pid1))
      throw new Error(`${s.app}: PID 1 is "${pid1}", not node (SIGTERM would not reach it)`);
    if (nodeEnv !== 'production') throw new Error(`${s.app}: NODE_ENV=${nodeEnv}`);
    facts.push(`${s.name} uid ${uid}`);
  }
  return `running, healthy, never restarted, node as PID 1, NODE_ENV=production, ${facts.join(', ')}`;
}

async function checkSaga() {
  // PUT answers 201 for a new product or account, 200 for a replaced one
  const put = async (url, body) => {
    const response = await http('PUT', url, body);
    if (response.status !== 200 && response.status !== 201) {
      throw new Error(`PUT ${url}: ${response.status} ${response.text.slice(0, 300)}`);
    }
    return response.json;
  };
  const product = await put(`${hostUrl(inventory)}/products/${sku}`, {
    name: 'compose test product',
    price: 12.5,
    stock: 10,
  });
  if (product.available !== 10) throw new Error(`new product: available ${product.available}, expected 10`);
  await put(`${hostUrl(payment)}/accounts/${customer}`, { credit: 100 });
  state.orderId = await placeOrder(customer, sku, 3, `compose-test-${runId}-1`);
  const confirmed = await waitForOrder(state.orderId);
  if (confirmed.total !== 37.5) throw new Error(`order total ${confirmed.total}, expected 37.5`);
  // CONFIRMED first, then inventory turns the reservation into a sale (OrderConfirmed): reserved 3 -> 0
  await poll(
    `${sku} available 7, reserved 0`,
    async () => {
      const stock = await expectStatus('GET', `${hostUrl(inventory)}/products/${sku}`, undefined, 200);
      const value = { available: stock.available, reserved: stock.reserved };
      return stock.available === 7 && stock.reserved === 0 ? { done: true, value } : { value };
    },
    20_000,
  );
  const payments = await expectStatus(
    'GET',
    `${hostUrl(payment)}/payments?orderId=${state.orderId}`,
    undefined,
    200,
  );
  if (payments.length !== 1 || payments[0].status !== 'CAPTURED' || payments[0].amount !== 37.5) {
    throw new Error(`payments of the order: ${JSON.stringify(payments)}`);
  }
  // Mailpit is not started: the notification is recorded and its delivery retried (PENDING), or SENT
  // where a mail catcher answers; either way notification-service handled the OrderConfirmed event.
  const notifications = await poll(
    'notification of the order',
    async () => {
      const list = await expectStatus(
        'GET',
        `${hostUrl(notification)}/notifications?orderId=${state.orderId}`,
        undefined,
        200,
      );
      return list.length > 0 ? { done: true, value: list } : { value: list };
    },
    20_000,
  );
  return (
    `order ${state.orderId} CONFIRMED (total 37.5), ${sku} available 10 -> 7 (reserved 0), payment CAPTURED, ` +
    `notification ${notifications[0].type} ${notifications[0].status}`
  );
}

/** Runs one AMQP operation on a fresh channel; resolves to 'ok' or the broker's error code. */
async function amqpOutcome(connection, operation) {
  const channel = await connection.createChannel();
  channel.on('error', () => undefined);
  try {
    await operation(channel);
    await channel.close().catch(() => undefined);
    return 'ok';
  } catch (error) {
    return error.code ?? error.message;
  }
}

async function checkBrokerIsolation() {
  const amqpUrl = (user, password) =>
    `amqp://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${composeEnv.RABBITMQ_HOST_PORT}`;
  const problems = [];
  let refused = 0;
  for (const s of services) {
    const connection = await amqp.connect(amqpUrl(s.amqpUser, s.amqpPassword));
    connection.on('error', () => undefined);
    try {
      // its own (unconsumed) dead-letter queue: readable, so the refusals below are about permissions
      const own = await amqpOutcome(connection, async (channel) => {
        const { consumerTag } = await channel.consume(`${s.name}.dlq`, () => undefined);
        await channel.cancel(consumerTag);
      });
      if (own !== 'ok') problems.push(`${s.amqpUser} cannot consume its own ${s.name}.dlq (${own})`);
      for (const other of services.filter((o) => o !== s)) {
        for (const queue of [`${other.name}.commands`, `${other.name}.events`, `${other.name}.dlq`]) {
          const consume = await amqpOutcome(connection, (channel) => channel.consume(queue, () => undefined));
          const get = await amqpOutcome(connection, (channel) => channel.get(queue));
          for (const [what, outcome] of [
            ['consume', consume],
            ['get', get],
          ]) {
            if (outcome === 403) refused++;
            else problems.push(`${s.amqpUser} ${what} ${queue}: ${outcome}, expected 403 ACCESS_REFUSED`);
          }
        }
      }
    } finally {
      await connection.close().catch(() => undefined);
    }
  }
  const guest = await amqp.connect(amqpUrl('guest', 'guest')).then(
    async (connection) => {
      await connection.close().catch(() => undefined);
      return 'logged in';
    },
    (error) => (/ACCESS.REFUSED/.test(error.message) ? 'refused' : error.message),
  );
  if (guest !== 'refused') problems.push(`guest/guest: ${guest}, expected ACCESS_REFUSED`);
  if (problems.length > 0) throw new Error(problems.join('; '));
  return `${refused} consume/get attempts on other services' queues refused with 403, own DLQ readable, guest refused`;
}

async function checkDatabaseIsolation() {
  const problems = [];
  let refused = 0;
  const open = async (user, password, database) => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port: Number(composeEnv.POSTGRES_HOST_PORT),
      user,
      password,
      database,
      connectionTimeoutMillis: 5000,
    });
    try {
      await client.connect();
      const { rows } = await client.query('SELECT current_user AS u, current_database() AS d');
      return `ok ${rows[0].u}@${rows[0].d}`;
    } catch (error) {
      return error.code ?? error.message;
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  for (const s of services) {
    const own = await open(s.role, s.dbPassword, s.db);
    if (own !== `ok ${s.role}@${s.db}`) problems.push(`${s.role} cannot open its own ${s.db}: ${own}`);
    for (const database of [...services.filter((o) => o !== s).map((o) => o.db), 'postgres']) {
      const outcome = await open(s.role, s.dbPassword, database);
      if (outcome === '42501') refused++;
      else problems.push(`${s.role} -> ${database}: ${outcome}, expected 42501 permission denied`);
    }
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  return `each role opens its own database; ${refused} connections to other databases refused (42501)`;
}

async function checkGracefulStop() {
  const ids = containers();
  const started = Date.now();
  await compose(['stop'], { timeoutMs: 5 * 60_000 });
  const seconds = (Date.now() - started) / 1000;
  const codes = [];
  for (const s of services) {
    const code = run('docker', ['inspect', '--format', '{{.State.ExitCode}}', ids[s.app]]).stdout.trim();
    // 0: node exited by itself after its shutdown hooks; 143: the same, re-raising SIGTERM (under an
    // init process). 137 would be SIGKILL after the grace period: SIGTERM did not reach node.
    if (code !== '0' && code !== '143') {
      const tail = run('docker', ['logs', '--tail', '30', ids[s.app]]);
      throw new Error(
        `${s.app} exited with ${code} (SIGKILL? SIGTERM did not stop it); its last lines:\n${tail.stdout}${tail.stderr}`,
      );
    }
    codes.push(`${s.name} ${code}`);
  }
  if (seconds >= STOP_GRACE_SECONDS) throw new Error(`docker compose stop took ${seconds.toFixed(1)}s`);
  return `all stopped in ${seconds.toFixed(1)}s (grace period ${STOP_GRACE_SECONDS}s), exit codes: ${codes.join(', ')}`;
}

async function checkDataSurvives() {
  const before = await expectStatus('GET', `${hostUrl(order)}/orders/${state.orderId}`, undefined, 200);
  if (before.status !== 'CONFIRMED')
    throw new Error(`order ${state.orderId} is ${before.status} after the restart`);
  const stock = await expectStatus('GET', `${hostUrl(inventory)}/products/${sku}`, undefined, 200);
  if (stock.available !== 7)
    throw new Error(`${sku} available ${stock.available} after the restart, expected 7`);
  const second = await placeOrder(customer, sku, 1, `compose-test-${runId}-2`);
  await waitForOrder(second);
  const after = await expectStatus('GET', `${hostUrl(inventory)}/products/${sku}`, undefined, 200);
  if (after.available !== 6)
    throw new Error(`${sku} available ${after.available} after a second order, expected 6`);
  return `order ${state.orderId} still CONFIRMED, stock still 7; a new order CONFIRMED (stock 6)`;
}

// ---------------------------------------------------------------------------------------------- main
let composeUsed = false;
let cleanedUp = false;

function diagnostics() {
  if (!composeUsed) return;
  console.log('\n== docker compose ps');
  console.log(composeSync(['ps'], { allowFail: true }).output.trim());
  console.log('\n== docker compose logs --tail=40 (every service)');
  console.log(composeSync(['logs', '--no-color', '--tail=40'], { allowFail: true }).output.trim());
}

function cleanup() {
  if (cleanedUp) return;
  cleanedUp = true;
  if (composeUsed) {
    if (keep) {
      log(
        `COMPOSE_TEST_KEEP=1: stack left running; remove it with: COMPOSE_PROJECT_NAME=${project} docker compose down -v`,
      );
    } else {
      log('docker compose down -v');
      const down = composeSync(['down', '-v', '--remove-orphans'], {
        allowFail: true,
        timeoutMs: 5 * 60_000,
      });
      if (down.status !== 0) console.error(`docker compose down -v failed:\n${down.output}`);
    }
  }
  for (const server of stoppedMachineServers.reverse()) {
    log(`starting the machine's ${server.what} again`);
    try {
      server.start();
    } catch (error) {
      console.error(`could not start the machine's ${server.what} again: ${error.message}`);
      process.exitCode = 1;
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    stopRunning('SIGTERM');
    cleanup();
    process.exit(130);
  });
}

async function main() {
  mkdirSync(join(root, '.build'), { recursive: true });
  writeFileSync(logFile, `test:compose ${new Date().toISOString()}\n`);
  await check(
    'preflight',
    async () => {
      const version = run('docker', ['compose', 'version']).output.trim().split('\n')[0];
      // leftovers of an interrupted run of this test (its own compose project only)
      composeEnv = { COMPOSE_PROJECT_NAME: project };
      await compose(['down', '-v', '--remove-orphans'], { allowFail: true });
      composeEnv = { COMPOSE_PROJECT_NAME: project, ...(await choosePorts()) };
      const ports = Object.entries(composeEnv)
        .filter(([key]) => key.endsWith('_PORT'))
        .map(([key, value]) => `${key}=${value}`)
        .join(' ');
      return `${version}; project ${project}; ${ports}`;
    },
    { critical: true },
  );
  composeUsed = true;
  await check(
    'docker compose up -d --build --wait',
    async () => {
      await compose(UP.slice(1), { timeoutMs: 20 * 60_000 });
      return UP.slice(5).join(' ');
    },
    { critical: true },
  );
  await check('containers', checkContainers);
  await check('order saga over REST', checkSaga, { critical: true });
  await check('RabbitMQ users confined to their own queues', checkBrokerIsolation);
  await check('PostgreSQL roles confined to their own database', checkDatabaseIsolation);
  await check('still healthy without collector, Jaeger, Mailpit', async () => {
    await checkContainers();
    return 'no application container restarted';
  });
  await check('graceful stop (SIGTERM)', checkGracefulStop);
  await check(
    'down, up again (volumes kept)',
    async () => {
      await compose(['down'], { timeoutMs: 5 * 60_000 });
      await compose(
        UP.slice(1).filter((arg) => arg !== '--build'),
        { timeoutMs: 10 * 60_000 },
      );
      return 'docker compose down; docker compose up -d --wait ...';
    },
    { critical: true },
  );
  await check('data survives down/up', checkDataSurvives);
}

let ok = false;
try {
  await main();
} catch (error) {
  if (!(error instanceof Abort)) {
    results.push({ name: 'unexpected error', ok: false, detail: error.stack ?? String(error), time: '' });
  }
} finally {
  if (results.some((r) => !r.ok)) diagnostics();
  cleanup();
  ok = summary();
}
process.exit(ok && process.exitCode !== 1 ? 0 : 1);
