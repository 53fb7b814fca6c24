/**
 * `npm run bench`: measures the outbox against the machine's own limits, in one run on this host's RabbitMQ
 * and PostgreSQL, and prints a table (also appended to docs/benchmarks.md):
 * - raw RabbitMQ: persistent publishes per second to a quorum queue on a confirm channel, pipelined;
 * - outbox drain: a committed backlog published by the relay, as a rate and as a ratio to the raw rate;
 * - commit to publish: one message per transaction, from commit to its arrival at a consumer.
 */
import 'reflect-metadata';
import { appendFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { connect, ConsumeMessage } from 'amqplib';
import { Client } from 'pg';
import { z } from 'zod';
import { loadServiceConfig } from '@platform/config';
import { command } from '@platform/contracts';
import { messagingMigrations, PublisherConnection, UnitOfWork } from '@platform/messaging';
import { ServiceKitModule } from '@platform/service';

const SERVICE = 'bench';
const DATABASE = 'bench_outbox';
const POSTGRES = 'postgres://postgres@127.0.0.1:5432';
const RABBITMQ = 'amqp://guest:guest@127.0.0.1:5672';
const BACKLOG = 10_000;
const LATENCY_SAMPLES = 500;

class BenchPing extends command(SERVICE, 'BenchPing', z.object({ seq: z.number().int(), pad: z.string() })) {}
const pad = 'x'.repeat(200);

async function resetDatabase(): Promise<void> {
  const admin = new Client({ connectionString: `${POSTGRES}/postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.end();
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  await resetDatabase();
  const config = loadServiceConfig(
    { name: SERVICE, port: 0, database: DATABASE },
    { DATABASE_URL: `${POSTGRES}/${DATABASE}`, LOG_LEVEL: 'warn', OUTBOX_BATCH_SIZE: '1000' },
  );
  const app = await NestFactory.createApplicationContext(
    ServiceKitModule.forService({
      config,
      persistence: { entities: [], migrations: messagingMigrations },
      messaging: {},
    }),
    { logger: ['error', 'warn'] },
  );
  await app.init();
  await app.get(PublisherConnection).waitUntilReady(10_000);
  const unitOfWork = app.get(UnitOfWork);

  const connection = await connect(RABBITMQ);
  const channel = await connection.createConfirmChannel();
  const sink = 'bench.sink';
  await channel.assertQueue(sink, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await channel.bindQueue(sink, 'commands', BenchPing.routingKey);
  await channel.purgeQueue(sink);

  // 1. Raw RabbitMQ: confirmed persistent publishes, pipelined in windows of 500.
  const body = Buffer.from(JSON.stringify({ seq: 0, pad }));
  let started = performance.now();
  for (let sent = 0; sent < BACKLOG; sent += 500) {
    for (let index = 0; index < 500; index += 1) {
      channel.publish('commands', BenchPing.routingKey, body, {
        persistent: true,
        contentType: 'application/json',
      });
    }
    await channel.waitForConfirms();
  }
  const rawRate = BACKLOG / ((performance.now() - started) / 1000);
  await channel.purgeQueue(sink);

  // 2. Outbox drain: a backlog committed in one transaction, drained by the relay (counted in the table,
  // so no consumer competes for the CPU, as none did for the raw rate).
  const store = new Client({ connectionString: `${POSTGRES}/${DATABASE}` });
  await store.connect();
  const pending = async () =>
    (await store.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')).rows[0]
      .n as number;
  started = performance.now();
  await unitOfWork.run(async ({ outbox }) => {
    for (let seq = 0; seq < BACKLOG; seq += 1) outbox.add(BenchPing.v1({ seq: -1 - seq, pad }));
  });
  const committed = performance.now();
  while ((await pending()) > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  const drainRate = BACKLOG / ((performance.now() - committed) / 1000);
  const writeRate = BACKLOG / ((committed - started) / 1000);
  await store.end();
  await channel.purgeQueue(sink);

  const consumer = await connection.createChannel();
  const arrivals = new Map<number, number>();
  await consumer.consume(
    sink,
    (message: ConsumeMessage | null) => {
      if (message) arrivals.set(JSON.parse(message.content.toString()).seq, performance.now());
    },
    { noAck: true },
  );

  // 3. Commit to publish: one message per transaction, one at a time.
  const latencies: number[] = [];
  for (let seq = 0; seq < LATENCY_SAMPLES; seq += 1) {
    await unitOfWork.run(async ({ outbox }) => outbox.add(BenchPing.v1({ seq, pad })));
    const commitAt = performance.now();
    while (!arrivals.has(seq)) await new Promise((resolve) => setImmediate(resolve));
    latencies.push(arrivals.get(seq)! - commitAt);
  }

  await connection.close();
  await app.close();
  await resetDatabase();

  const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const rows: Array<[string, string, string]> = [
    ['raw RabbitMQ confirmed publishes (quorum, persistent)', `${rawRate.toFixed(0)} msg/s`, ''],
    ['outbox write (one transaction)', `${writeRate.toFixed(0)} rows/s`, ''],
    [
      'outbox drain by the relay',
      `${drainRate.toFixed(0)} msg/s`,
      `${(drainRate / rawRate).toFixed(2)} of raw (target ≥ 0.5)`,
    ],
    ['commit → consumer, p50', `${percentile(latencies, 50).toFixed(2)} ms`, 'target < 10 ms'],
    ['commit → consumer, p99', `${percentile(latencies, 99).toFixed(2)} ms`, ''],
  ];
  const table = [
    `### ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${machine}`,
    '',
    '| measure | value | ratio / target |',
    '| --- | --- | --- |',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
  ].join('\n');
  console.log(table);
  appendFileSync(join(__dirname, '..', '..', 'docs', 'benchmarks.md'), `\n${table}`);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`bench failed: ${error.stack}`);
    process.exit(1);
  },
);
