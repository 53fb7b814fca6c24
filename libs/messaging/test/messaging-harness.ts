import { ConsoleLogger, INestApplication, Injectable, Module } from '@nestjs/common';
import { CommandHandler, EventsHandler, ICommandHandler, IEventHandler } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { z } from 'zod';
import { loadServiceConfig, ServiceConfig } from '@platform/config';
import { command, event } from '@platform/contracts';
import {
  ConsumerConnection,
  messagingMigrations,
  PublisherConnection,
  UnitOfWork,
} from '@platform/messaging';
import { TransactionScope } from '@platform/persistence';
import { ServiceKitModule } from '@platform/service';
import { metricsRegistry } from '@platform/observability';
import {
  BrokerProbe,
  databaseUrl,
  dropDatabase,
  query,
  testRabbitmqUrl,
  uniqueSuffix,
} from '@platform/testing';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A throwaway service for messaging tests: its own database and queues (`mt<random>.*`), one command that
 * writes an effect row and publishes an event, and a handler of that event. Failures are injected per key.
 */
export function defineTestMessages(service: string) {
  const payload = z.object({
    key: z.string(),
    failTimes: z.number().int().default(0),
    /** What a failure throws: an Error, or a value that is not one. */
    throws: z.enum(['error', 'undefined', 'string', 'object']).optional(),
    /** How long the handler holds its transaction open. */
    delayMs: z.number().int().optional(),
  });
  class RecordEffect extends command(service, 'RecordEffect', payload, { sentBy: service }) {}
  class EffectRecorded extends event(service, 'EffectRecorded', z.object({ key: z.string() })) {}
  return { RecordEffect, EffectRecorded };
}

/** What a failing handler throws: an Error, or (to prove it does no harm) something that is not one. */
function failure(kind: 'error' | 'undefined' | 'string' | 'object', message: string): unknown {
  if (kind === 'undefined') return undefined;
  if (kind === 'string') return message;
  if (kind === 'object') return { message };
  return new Error(message);
}

class CreateEffects1732500000001 implements MigrationInterface {
  async up(runner: QueryRunner) {
    await runner.query(`CREATE TABLE effects (id serial PRIMARY KEY, key text NOT NULL, kind text NOT NULL)`);
  }
  async down(runner: QueryRunner) {
    await runner.query(`DROP TABLE effects`);
  }
}

export interface Harness {
  service: string;
  database: string;
  app: INestApplication;
  messages: ReturnType<typeof defineTestMessages>;
  effects(kind?: string): Promise<Array<{ key: string; kind: string }>>;
  attempts: Map<string, number>;
  close(): Promise<void>;
}

export async function startHarness(
  options: { service?: string; database?: string; env?: Record<string, string> } = {},
): Promise<Harness> {
  const service = options.service ?? `mt${uniqueSuffix()}`;
  const database = options.database ?? `${service}_messaging`;
  const messages = defineTestMessages(service);
  const { RecordEffect, EffectRecorded } = messages;
  const attempts = new Map<string, number>();

  @CommandHandler(RecordEffect)
  @Injectable()
  class RecordEffectHandler implements ICommandHandler<InstanceType<typeof RecordEffect>> {
    constructor(
      private readonly unitOfWork: UnitOfWork,
      private readonly transactions: TransactionScope,
    ) {}
    async execute({ key, failTimes, throws, delayMs }: InstanceType<typeof RecordEffect>) {
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      await this.unitOfWork.run(async ({ outbox }) => {
        await this.transactions.manager.query(`INSERT INTO effects (key, kind) VALUES ($1, 'command')`, [
          key,
        ]);
        if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
        if (attempt <= failTimes) throw failure(throws ?? 'error', `injected failure ${attempt} for ${key}`);
        outbox.add(EffectRecorded.v1({ key }));
      });
    }
  }

  @EventsHandler(EffectRecorded)
  @Injectable()
  class EffectRecordedHandler implements IEventHandler<InstanceType<typeof EffectRecorded>> {
    constructor(private readonly transactions: TransactionScope) {}
    async handle({ key }: InstanceType<typeof EffectRecorded>) {
      await this.transactions.manager.query(`INSERT INTO effects (key, kind) VALUES ($1, 'event')`, [key]);
    }
  }

  @Module({ providers: [RecordEffectHandler, EffectRecordedHandler] })
  class HandlersModule {}

  const config: ServiceConfig = loadServiceConfig(
    { name: service, port: 0, database },
    {
      DATABASE_URL: databaseUrl(database),
      RABBITMQ_URL: testRabbitmqUrl,
      MESSAGING_RETRY_BASE_MS: '100',
      MESSAGING_MAX_ATTEMPTS: '3',
      OUTBOX_POLL_INTERVAL_MS: '200',
      ...options.env,
    },
  );
  const moduleRef = await Test.createTestingModule({
    imports: [
      ServiceKitModule.forService({
        config,
        persistence: {
          entities: [],
          migrations: [...messagingMigrations, CreateEffects1732500000001],
        },
        messaging: { commands: [RecordEffect], events: [EffectRecorded] },
      }),
      HandlersModule,
    ],
  }).compile();
  const app = moduleRef.createNestApplication();
  app.useLogger(new ConsoleLogger('messaging-test', { logLevels: ['error', 'warn'] }));
  await app.init();
  await app.get(ConsumerConnection).waitUntilReady(10_000);
  await app.get(PublisherConnection).waitUntilReady(10_000);
  return {
    service,
    database,
    app,
    messages,
    attempts,
    effects: (kind?: string) =>
      query<{ key: string; kind: string }>(
        database,
        `SELECT key, kind FROM effects ${kind ? 'WHERE kind = $1' : ''} ORDER BY id`,
        kind ? [kind] : [],
      ),
    async close() {
      await app.close();
    },
  };
}

/** Publishes a RecordEffect command for the harness (anything as body, any envelope); resolves with its id. */
export function sendCommand(
  probe: BrokerProbe,
  harness: Harness,
  body: Record<string, unknown>,
  options: Parameters<BrokerProbe['publish']>[3] = {},
): Promise<string> {
  return probe.publish('commands', harness.messages.RecordEffect.routingKey, JSON.stringify(body), {
    type: 'RecordEffect',
    ...options,
  });
}

/** `messages_consumed_total` of one queue and outcome in this process, over every message type. */
export async function consumedCount(queue: string, outcome: string): Promise<number> {
  const metric = await metricsRegistry.getSingleMetric('messages_consumed_total')!.get();
  return metric.values
    .filter((value) => value.labels.queue === queue && value.labels.outcome === outcome)
    .reduce((sum, value) => sum + value.value, 0);
}

/** Closes the app, drops its database and deletes its queues. */
export async function destroyHarness(
  harness: Harness,
  probe: { deleteServiceTopology(s: string, d: number[]): Promise<void> },
) {
  await harness.close().catch(() => undefined);
  await dropDatabase(harness.database);
  await probe.deleteServiceTopology(harness.service, [100, 200]);
}
