import { join } from 'node:path';
import { notReady, onProcessExit, ServiceExit, SupervisedService, unusedStablePort } from '@platform/testing';
import { ChaosInfrastructure } from './chaos-infrastructure';

/** The services by the short names used in queue names and routing keys. */
export const SERVICES = ['order', 'inventory', 'payment', 'notification'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Each service's database on the suite's PostgreSQL server (the services' own defaults). */
export const DATABASES: Record<ServiceName, string> = {
  order: 'orders',
  inventory: 'inventory',
  payment: 'payments',
  notification: 'notifications',
};

/** How the platform runs during one fault. */
export interface PlatformShape {
  /** Processes per service, competing on the same queues and database. */
  replicas: number;
  /** RabbitMQ virtual host; a new one is a fresh, empty broker. */
  vhost: string;
  /** Variables added per service, e.g. TEST_CRASH_POINT. */
  environment: Partial<Record<ServiceName, Record<string, string>>>;
  /** A service left stopped when the platform starts: the fault starts it with `startDeferred`. */
  startLast?: ServiceName;
}

export const defaultShape: PlatformShape = { replicas: 1, vhost: '/', environment: {} };

/**
 * The four services as supervised processes (restarted whenever they exit) on the suite's own broker and
 * database, in the shape a fault asks for. Logs go to one file per process in the run folder.
 */
export class ChaosPlatform {
  private readonly unregister: () => void;

  private constructor(
    readonly shape: PlatformShape,
    readonly instances: Record<ServiceName, SupervisedService[]>,
  ) {
    this.unregister = onProcessExit(() => this.all().forEach((instance) => instance.killNow()));
  }

  /** Starts every service but `shape.startLast`, first one replica each, then the others. */
  static async start(infrastructure: ChaosInfrastructure, shape: PlatformShape): Promise<ChaosPlatform> {
    const instances = {} as Record<ServiceName, SupervisedService[]>;
    for (const service of SERVICES) {
      instances[service] = [];
      for (let replica = 1; replica <= shape.replicas; replica++) {
        const environment = {
          ...(await commonEnvironment(infrastructure, shape, service)),
          ...shape.environment[service],
        };
        const instance = `${service}-${replica}`;
        instances[service].push(
          new SupervisedService(
            `${service}-service`,
            instance,
            environment,
            join(infrastructure.runDirectory, `${instance}.log`),
          ),
        );
      }
    }
    const platform = new ChaosPlatform(shape, instances);
    try {
      const started = SERVICES.filter((service) => service !== shape.startLast);
      // Replicas after the first: the first creates the database and runs the migrations alone.
      for (let replica = 0; replica < shape.replicas; replica++) {
        await Promise.all(started.map((service) => instances[service][replica].start()));
      }
    } catch (error) {
      await platform.stop();
      throw error;
    }
    return platform;
  }

  all(): SupervisedService[] {
    return SERVICES.flatMap((service) => this.instances[service]);
  }

  /** The base URL of one replica of a service. */
  url(service: ServiceName, replica = 0): string {
    return this.instances[service][replica].url;
  }

  /** Starts the service the shape left for last, every replica of it. */
  async startDeferred(): Promise<void> {
    if (!this.shape.startLast) return;
    await Promise.all(this.instances[this.shape.startLast].map((instance) => instance.start()));
  }

  exits(): ServiceExit[] {
    return this.all().flatMap((instance) => instance.exits);
  }

  /** The processes that should run but do not answer ready within `timeoutMs`. */
  async notReady(timeoutMs: number): Promise<string[]> {
    return (await notReady(this.all(), timeoutMs)).map((instance) => instance.instance);
  }

  async stop(): Promise<void> {
    await Promise.all(this.all().map((instance) => instance.stop()));
    this.unregister();
  }
}

async function commonEnvironment(
  { rabbitmq, brokerUrls, postgres, mail }: ChaosInfrastructure,
  shape: PlatformShape,
  service: ServiceName,
): Promise<Record<string, string>> {
  return {
    PORT: String(await unusedStablePort()),
    DATABASE_URL: postgres.databaseUrl(DATABASES[service]),
    POSTGRES_URL: postgres.url,
    RABBITMQ_URL: brokerUrls?.(shape.vhost) ?? rabbitmq.url(shape.vhost),
    MESSAGING_RETRY_BASE_MS: '500',
    SHUTDOWN_TIMEOUT_MS: '5000',
    LOG_LEVEL: 'warn',
    ...(service === 'notification'
      ? { NOTIFICATION_CHANNEL: 'smtp', SMTP_URL: mail.url, NOTIFICATION_RETRY_BASE_MS: '500' }
      : {}),
  };
}
