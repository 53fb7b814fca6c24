/**
 * The outbox relay against RabbitMQ's own rate, in-process on this host's broker and database:
 * - raw RabbitMQ: persistent publishes per second to a quorum queue on a confirm channel, pipelined;
 * - outbox drain: a committed backlog published by the relay, as a rate and as a ratio to the raw rate;
 * - commit to consumer: one message per transaction, from commit to its arrival at a consumer.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { connect, ConsumeMessage } from 'amqplib';
import { z } from 'zod';
import { loadServiceConfig } from '@platform/config';
import { command } from '@platform/contracts';
import { messagingMigrations, PublisherConnection, UnitOfWork } from '@platform/messaging';
import { ServiceKitModule } from '@platform/service';
import { BrokerProbe, databaseUrl, dropDatabase, query, sleep, uniqueSuffix } from '@platform/testing';
import { Summary, summarize } from './statistics';

const SERVICE = 'bench';
const BACKLOG = 10_000;
const LATENCY_SAMPLES = 300;

class BenchPing extends command(SERVICE, 'BenchPing', z.object({ seq: z.number().int(), pad: z.string() }), {
  sentBy: SERVICE,
}) {}
const pad = 'x'.repeat(200);

export interface OutboxDrain {
  rawRate: number;
  writeRate: number;
  drainRate: number;
  commitToConsumer: Summary;
}

export async function measureOutboxDrain(rabbitmqUrl: string): Promise<OutboxDrain> {
  const database = `bench_outbox_${uniqueSuffix()}`;
  const config = loadServiceConfig(
    { name: SERVICE, port: 0, database },
    {
      DATABASE_URL: databaseUrl(database),
      RABBITMQ_URL: rabbitmqUrl,
      LOG_LEVEL: 'warn',
      OUTBOX_BATCH_SIZE: '1000',
    },
  );
  const app = await NestFactory.createApplicationContext(
    ServiceKitModule.forService({
      config,
      persistence: { entities: [], migrations: messagingMigrations },
      messaging: {},
    }),
    { logger: ['error', 'warn'] },
  );
  const connection = await connect(rabbitmqUrl, { noDelay: true });
  try {
    await app.init();
    await app.get(PublisherConnection).waitUntilReady(10_000);
    const unitOfWork = app.get(UnitOfWork);
    const channel = await connection.createConfirmChannel();
    const sink = `bench.sink.${uniqueSuffix()}`;
    await channel.assertQueue(sink, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await channel.bindQueue(sink, 'commands', BenchPing.routingKey);

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
    const pending = async () =>
      (
        await query<{ n: number }>(
          database,
          'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
        )
      )[0].n;
    started = performance.now();
    await unitOfWork.run(async ({ outbox }) => {
      for (let seq = 0; seq < BACKLOG; seq += 1) outbox.add(BenchPing.v1({ seq: -1 - seq, pad }));
    });
    const committed = performance.now();
    while ((await pending()) > 0) await sleep(10);
    const drainRate = BACKLOG / ((performance.now() - committed) / 1000);
    const writeRate = BACKLOG / ((committed - started) / 1000);
    await channel.purgeQueue(sink);

    // 3. Commit to consumer: one message per transaction, one at a time.
    const consumer = await connection.createChannel();
    const arrivals = new Map<number, number>();
    await consumer.consume(
      sink,
      (message: ConsumeMessage | null) => {
        if (message) arrivals.set(JSON.parse(message.content.toString()).seq, performance.now());
      },
      { noAck: true },
    );
    const latencies: number[] = [];
    for (let seq = 0; seq < LATENCY_SAMPLES; seq += 1) {
      await unitOfWork.run(async ({ outbox }) => outbox.add(BenchPing.v1({ seq, pad })));
      const commitAt = performance.now();
      while (!arrivals.has(seq)) await new Promise((resolve) => setImmediate(resolve));
      latencies.push(arrivals.get(seq)! - commitAt);
    }
    await channel.deleteQueue(sink);
    return { rawRate, writeRate, drainRate, commitToConsumer: summarize(latencies) };
  } finally {
    await connection.close().catch(() => undefined);
    await app.close();
    await dropDatabase(database);
    // The relay's service declared its dead-letter and retry queues; the broker is the user's, so remove them.
    const { retryBaseMs, maxAttempts } = config.messaging;
    const delays = Array.from(
      { length: Math.max(0, maxAttempts - 1) },
      (_, index) => retryBaseMs * 2 ** index,
    );
    const probe = await BrokerProbe.open(rabbitmqUrl);
    await probe.deleteServiceTopology(SERVICE, delays).catch(() => undefined);
    await probe.close();
  }
}
