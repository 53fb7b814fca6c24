/**
 * One service of the repository started as its own process on the real RabbitMQ and PostgreSQL, for its
 * integration tests: publish to it as other services would, see what it sends, wait until it has settled.
 */
import { randomUUID } from 'node:crypto';
import { ConsumeMessage, Options } from 'amqplib';
import { loadServiceConfig } from '@platform/config';
import { consumers, MessageType, messageTypeOf, schemaVersionOf } from '@platform/contracts';
import { PUBLISHED_AT_HEADER, serviceTopology, ServiceTopology } from '@platform/messaging';
import { ServiceFacts, serviceNamed } from '@platform/workspace';
import { BrokerProbe, Listener, testRabbitmqUrl } from './broker-probe';
import { databaseUrl, dropDatabase, query } from './database-probe';
import { freePort } from './free-port';
import { HttpClient, httpClient } from './http-client';
import { sumOfSamples } from './metric-samples';
import { PayloadOf, SentMatcher, SentMessage, SentMessages } from './sent-messages';
import { ServiceProcess, spawnService, startService } from './service-process';
import { PublishedToService, WorkInProgress } from './work-in-progress';
import { unusedStablePort } from './unused-port';
import { sleep, uniqueSuffix, waitFor } from './wait-for';

/** How a ServiceHarness starts its service. */
export interface ServiceHarnessOptions {
  /**
   * Variables for the service, over the harness's own: RABBITMQ_URL (the test broker, which the harness
   * uses too) and MESSAGING_RETRY_BASE_MS=100. PORT and DATABASE_URL are always the harness's (see
   * `databaseRoles`).
   */
  env?: Record<string, string>;
  /** The HTTP port, kept across restarts; by default a free one below the ephemeral range (see unused-port). */
  port?: number;
  /** How long a start may take to answer `/health/ready`; 60 s by default. */
  readyTimeoutMs?: number;
  /**
   * Login roles of the test server to run as instead of its superuser, as a deployment does: the service's
   * DATABASE_URL as `runtime`, its DATABASE_MIGRATION_URL as `migrator`. The test creates them (with their
   * rights on `database`) between `prepare` and the first `restart`.
   */
  databaseRoles?: { runtime: string; migrator: string };
}

/** The envelope of a message published with `ServiceHarness.publish`; the rest is as a relay sets it. */
export interface HarnessPublishOptions {
  /** A new UUID by default; give the same one twice to play a redelivered or duplicated message. */
  messageId?: string;
  /** The payload's `orderId` by default, as the outbox sets it. */
  correlationId?: string;
  /** `x-causation-id`: the message whose handling produced this one; none by default. */
  causationId?: string;
  /** `x-schema-version`; the version the message was created as (`.v1(...)` gives 1) by default. */
  schemaVersion?: number;
  /** `x-published-at`, epoch milliseconds: when the sender's relay published it; now by default. */
  publishedAt?: number;
  /** The AMQP `timestamp` (whole seconds): when the sender recorded it in its outbox; now by default. */
  recordedAt?: Date;
  /**
   * More headers, over the ones above (e.g. `traceparent`); one given as undefined is not sent at all:
   * `{ 'x-published-at': undefined }` plays a sender that does not say when it published.
   */
  headers?: Record<string, unknown>;
}

/** The harness's retry delay: short, so a test sees a retried message come back within its time. */
const RETRY_BASE_MS = '100';

/**
 * A service of `apps/` (any of `listServices()`) running as a process like in production, on a fresh
 * database of its own and a free port, with a broker probe that plays every other service: it publishes
 * what they would send, captures what this service sends, and takes what it dead-letters.
 *
 * ```ts
 * const harness = await ServiceHarness.start('payment', { env: { PAYMENT_DEFAULT_CREDIT: '1000' } });
 * await harness.publish(ChargePayment.v2({ orderId, customerId, amount: 10, validForMs: 30_000 }));
 * const captured = await harness.waitForSent(PaymentCaptured, (payload) => payload.orderId === orderId);
 * await harness.settled();
 * await harness.stop();
 * ```
 */
export class ServiceHarness {
  /** The service's HTTP API. */
  readonly http: HttpClient;
  readonly url: string;
  private current?: ServiceProcess;
  private readonly replicas: ServiceProcess[] = [];

  private constructor(
    /** What `apps/<name>-service/service.json` says, with the names derived from it. */
    readonly facts: ServiceFacts,
    /** The name of the service's database, created by the service at its first start, dropped by `stop`. */
    readonly database: string,
    private environment: Record<string, string>,
    private readonly readyTimeoutMs: number,
    private readonly probe: BrokerProbe,
    /** What the test published to the service, by message id: `settled` follows each. */
    private readonly published: Map<string, PublishedToService>,
    private readonly outgoing: SentMessages,
    private readonly deadLetters: Listener,
  ) {
    this.url = `http://127.0.0.1:${environment.PORT}`;
    this.http = httpClient(this.url);
  }

  /**
   * Starts `name` (short or folder name: `payment` or `payment-service`) from its build in `dist/`: empties
   * its queues (work, retry and dead-letter) of what earlier runs left, starts capturing what it sends, and
   * resolves once `/health/ready` answers 200.
   */
  static async start(name: string, options: ServiceHarnessOptions = {}): Promise<ServiceHarness> {
    const harness = await ServiceHarness.prepare(name, options);
    try {
      await harness.restart();
    } catch (error) {
      await harness.stop();
      throw error;
    }
    return harness;
  }

  /** Everything `start` does except starting the process: `restart()` starts it, e.g. after some messages. */
  static async prepare(name: string, options: ServiceHarnessOptions = {}): Promise<ServiceHarness> {
    const facts = serviceNamed(name);
    const database = `${facts.database}_test_${uniqueSuffix()}`;
    const brokerUrl = options.env?.RABBITMQ_URL ?? testRabbitmqUrl;
    const environment = {
      RABBITMQ_URL: brokerUrl,
      MESSAGING_RETRY_BASE_MS: RETRY_BASE_MS,
      ...options.env,
      PORT: String(options.port ?? (await unusedStablePort())),
      DATABASE_URL: databaseUrl(database, options.databaseRoles?.runtime),
      ...(options.databaseRoles && {
        DATABASE_MIGRATION_URL: databaseUrl(database, options.databaseRoles.migrator),
      }),
    };
    const probe = await BrokerProbe.open(brokerUrl);
    try {
      const topology = topologyOf(facts, environment);
      await probe.purge(
        ...topology.workQueues.map((queue) => queue.name),
        ...topology.retryQueues.map((queue) => queue.name),
        topology.deadLetterQueue,
      );
      // Declared as the service declares it, so it can be watched before the service first starts.
      await probe.declareQuorumQueue(topology.deadLetterQueue);
      const published = new Map<string, PublishedToService>();
      const outgoing = await SentMessages.capture(probe, facts.name, facts.app, (id) => published.has(id));
      const deadLetters = await probe.take(topology.deadLetterQueue);
      const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
      return new ServiceHarness(
        facts,
        database,
        environment,
        readyTimeoutMs,
        probe,
        published,
        outgoing,
        deadLetters,
      );
    } catch (error) {
      await probe.close();
      throw error;
    }
  }

  /** The environment the service runs with now (the harness's, the options', and those of `restart`). */
  get env(): Readonly<Record<string, string>> {
    return this.environment;
  }

  /** The service's current process: its logs, its exit. */
  get service(): ServiceProcess {
    if (!this.current) throw new Error(`${this.facts.app} has not been started: call restart()`);
    return this.current;
  }

  /**
   * Stops the service (SIGTERM) if it runs and starts it again on the same database and port, with
   * `envOverrides` added to its environment for this and later starts. Resolves once it is ready, or with
   * `untilReady: false` as soon as it is spawned (for a process expected to die before it is ready).
   */
  async restart(
    envOverrides: Record<string, string> = {},
    { untilReady = true }: { untilReady?: boolean } = {},
  ): Promise<void> {
    await this.current?.stop();
    const { PORT, DATABASE_URL } = this.environment;
    this.environment = { ...this.environment, ...envOverrides, PORT, DATABASE_URL };
    this.current = untilReady
      ? await startService(this.facts.app, this.environment, this.readyTimeoutMs)
      : spawnService(this.facts.app, this.environment);
  }

  /** SIGKILL, as in a crash: nothing of the process's shutdown runs. `restart` starts it again. */
  async kill(): Promise<void> {
    await this.current?.kill();
  }

  /** Starts one more process of the service on the same database and queues, on its own port. */
  async startReplica(envOverrides: Record<string, string> = {}): Promise<ServiceProcess> {
    const env = { ...this.environment, ...envOverrides, PORT: String(await freePort()) };
    const replica = await startService(this.facts.app, env, this.readyTimeoutMs);
    this.replicas.push(replica);
    return replica;
  }

  /** Stops the service and its replicas, stops listening, and drops the database. */
  async stop(): Promise<void> {
    try {
      await Promise.all([...this.replicas, ...(this.current ? [this.current] : [])].map((p) => p.stop()));
      await this.outgoing.stop();
      await this.deadLetters.stop();
      await this.probe.close();
    } finally {
      await dropDatabase(this.database);
    }
  }

  /**
   * The sum of the samples of metric `name` in the service's `/metrics` whose labels include `labels`, e.g.
   * `metric('messages_consumed_total', { outcome: 'duplicate' })`; 0 when there is none.
   */
  async metric(name: string, labels: Record<string, string> = {}): Promise<number> {
    return sumOfSamples((await this.http.get('/metrics')).text, name, labels);
  }

  /** Runs SQL on the service's database. */
  query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return query<T>(this.database, sql, params);
  }

  /**
   * Publishes a message of libs/contracts (`ChargePayment.v1({...})`) to the service the way the sending
   * service's outbox relay would: its exchange and routing key, `type`, `messageId`, `correlationId`,
   * `timestamp`, persistent, `application/json`, headers `x-schema-version` and `x-published-at`, with
   * confirms and `mandatory`. Refuses a type the service does not consume (publishRaw sends anything).
   * Resolves to the message id.
   */
  async publish(message: object, options: HarnessPublishOptions = {}): Promise<string> {
    const type = messageTypeOf(message);
    this.assertConsumed(type);
    const messageId = options.messageId ?? randomUUID();
    const orderId = (message as { orderId?: unknown }).orderId;
    const headers: Record<string, unknown> = {
      'x-schema-version': options.schemaVersion ?? schemaVersionOf(message),
      [PUBLISHED_AT_HEADER]: options.publishedAt ?? Date.now(),
      ...(options.causationId !== undefined && { 'x-causation-id': options.causationId }),
      ...options.headers,
    };
    this.published.set(messageId, { type: type.type, routingKey: type.routingKey });
    await this.probe.publishAsIs(type.exchange, type.routingKey, JSON.stringify(message), {
      messageId,
      type: type.type,
      correlationId: options.correlationId ?? (typeof orderId === 'string' ? orderId : undefined),
      timestamp: Math.floor((options.recordedAt?.getTime() ?? Date.now()) / 1000),
      contentType: 'application/json',
      userId: this.probe.user,
      persistent: true,
      mandatory: true,
      headers,
    });
    return messageId;
  }

  /**
   * Publishes exactly what it is given (an object as JSON), for malformed or forged input, as the probe's
   * broker user unless `properties` has a `userId` key (`userId: undefined` sends none). `settled` follows it
   * by its `messageId` when it has one and is routed to one of the service's queues.
   */
  async publishRaw(
    exchange: string,
    routingKey: string,
    body: Buffer | string | object,
    properties: Options.Publish = {},
  ): Promise<string | undefined> {
    const bytes = Buffer.isBuffer(body) || typeof body === 'string' ? body : JSON.stringify(body);
    const { messageId } = properties;
    const routed = this.topology().workQueues.some(
      (queue) => queue.exchange === exchange && queue.routingKeys.includes(routingKey),
    );
    if (typeof messageId === 'string' && routed) {
      this.published.set(messageId, { type: String(properties.type), routingKey });
    }
    await this.probe.publishAsIs(exchange, routingKey, bytes, { userId: this.probe.user, ...properties });
    return messageId;
  }

  /**
   * What the service has sent since the harness started (its events and its commands to other services),
   * in arrival order, optionally of one type.
   */
  sent(): SentMessage[];
  sent<T extends MessageType>(type: T): Array<SentMessage<PayloadOf<T>>>;
  sent(type?: MessageType): SentMessage[];
  sent(type?: MessageType): SentMessage[] {
    return this.outgoing.of(type);
  }

  /** Waits for the first message of `type` the service sent whose payload matches, and resolves to the payload. */
  async waitForSent<T extends MessageType>(
    type: T,
    matches: SentMatcher<T> = () => true,
    timeoutMs = 15_000,
  ): Promise<PayloadOf<T>> {
    return (await this.outgoing.waitFor(type, matches, timeoutMs)).payload;
  }

  /** `waitForSent`, resolving to the whole message: envelope, headers and payload. */
  waitForSentMessage<T extends MessageType>(
    type: T,
    matches: SentMatcher<T> = () => true,
    timeoutMs = 15_000,
  ): Promise<SentMessage<PayloadOf<T>>> {
    return this.outgoing.waitFor(type, matches, timeoutMs);
  }

  /**
   * Fails if the service has sent a message of `type` matching `matches` since the harness started, or
   * sends one within `forMs` from now.
   */
  expectNothingSent<T extends MessageType>(
    type: T,
    matches: SentMatcher<T> = () => true,
    forMs = 500,
  ): Promise<void> {
    return this.outgoing.expectNone(type, matches, forMs);
  }

  /** What reached the service's dead-letter queue since the harness started, optionally one message's copies. */
  deadLettered(messageId?: string): ConsumeMessage[] {
    return this.deadLetters.messages.filter(
      (message) => messageId === undefined || message.properties.messageId === messageId,
    );
  }

  /** Waits until the message is in the service's dead-letter queue, and resolves to it (headers say why). */
  waitForDeadLetter(messageId: string, timeoutMs = 15_000): Promise<ConsumeMessage> {
    return waitFor(
      `message ${messageId} in ${this.facts.name}.dlq`,
      () => this.deadLettered(messageId)[0],
      timeoutMs,
      20,
    );
  }

  /**
   * Resolves once the service has nothing left to do, that is when all of these hold, twice in a row 50 ms
   * apart (a message moving between two places as they are looked at is seen the second time):
   * - every message published through the harness (and every `publishRaw` message with a `messageId` routed
   *   to one of its queues) is either handled, its id in the service's inbox, or dead-lettered, in
   *   `<service>.dlq`;
   * - its work queues (`<service>.commands`, `<service>.events`) and retry queues hold no ready message;
   * - no delivery is unacknowledged: every running process of it reports `messages_in_flight` 0 (RabbitMQ
   *   reports unacknowledged counts of quorum queues only every few seconds, so the consumer is asked);
   * - its outbox has no unpublished row;
   * - every message its outbox published has reached the harness, so `sent()` is complete.
   * Work the service schedules by itself (a saga step timeout, a mail retry) is not in these: wait for its
   * effect. Fails after `timeoutMs` saying what is still outstanding.
   */
  async settled(timeoutMs = 15_000): Promise<void> {
    const work = new WorkInProgress(this.facts, this.topology(), this.database, this.probe, () => [
      ...this.replicas,
      ...(this.current ? [this.current] : []),
    ]);
    const deadline = Date.now() + timeoutMs;
    let quietBefore = false;
    for (;;) {
      const outstanding = await work.outstanding(this.published, this.deadLetterIds(), this.outgoing.ids());
      if (outstanding.length === 0 && quietBefore) return;
      quietBefore = outstanding.length === 0;
      if (Date.now() > deadline && outstanding.length > 0) {
        throw new Error(
          `${this.facts.app} did not settle within ${timeoutMs} ms:\n- ${outstanding.join('\n- ')}`,
        );
      }
      await sleep(50);
    }
  }

  private deadLetterIds(): Set<string> {
    return new Set(this.deadLetters.messages.map((message) => String(message.properties.messageId)));
  }

  private topology(): ServiceTopology {
    return topologyOf(this.facts, this.environment);
  }

  private assertConsumed(type: MessageType): void {
    const consumed = this.topology().workQueues.flatMap((queue) => queue.routingKeys);
    if (!consumed.includes(type.routingKey)) {
      throw new Error(
        `${this.facts.app} does not consume ${type.routingKey} (it consumes ${consumed.join(', ') || 'nothing'}` +
          ` according to libs/contracts consumers); publishRaw sends it anyway`,
      );
    }
  }
}

/** The service's queues as its messaging module declares them, retry queues from its retry settings. */
function topologyOf(facts: ServiceFacts, env: Record<string, string>): ServiceTopology {
  const { messaging } = loadServiceConfig(facts, { ...process.env, ...env });
  return serviceTopology(facts.name, consumers[facts.name] ?? {}, {
    baseMs: messaging.retryBaseMs,
    maxAttempts: messaging.maxAttempts,
  });
}
