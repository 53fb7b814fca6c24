/**
 * The four services for the benchmark: each started from its build the way `npm run start:<service>` does
 * (system topology applied first, tracing preloaded), on fresh databases and free ports, with one or more
 * processes per service on the same database and queues. Nothing of the test harness listens in.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { consumers } from '@platform/contracts';
import { serviceTopology } from '@platform/messaging';
import {
  BrokerProbe,
  databaseUrl,
  distDir,
  dropDatabase,
  freePort,
  repositoryRoot,
  ServiceProcess,
  startService,
  uniqueSuffix,
} from '@platform/testing';
import { listServices, ServiceFacts } from '@platform/workspace';

/** How the platform runs for one part of the benchmark. */
export interface PlatformShape {
  /** Processes per service. */
  replicas: number;
  /** Variables added to every process, e.g. the OTLP exporter's. Tracing is off (`none`) unless they say. */
  environment: Record<string, string>;
  /**
   * Runs `npm run topology -- apply` first, as `npm run start:<service>` does. Off for a private broker: its
   * policy step would go to the machine's own node through the local rabbitmqctl.
   */
  applyTopology: boolean;
}

/** One running process of a service. */
export interface BenchProcess {
  service: string;
  replica: number;
  process: ServiceProcess;
}

export class BenchPlatform {
  private constructor(
    readonly services: ServiceFacts[],
    readonly databases: Record<string, string>,
    readonly processes: BenchProcess[],
  ) {}

  /** Applies the topology, empties the work queues of leftovers, and starts every process until ready. */
  static async start(rabbitmqUrl: string, shape: PlatformShape): Promise<BenchPlatform> {
    const services = listServices();
    if (shape.applyTopology) applyTopology(rabbitmqUrl);
    const probe = await BrokerProbe.open(rabbitmqUrl);
    try {
      await probe.purge(
        ...services.flatMap((facts) =>
          serviceTopology(facts.name, consumers[facts.name] ?? {}).workQueues.map((queue) => queue.name),
        ),
      );
    } finally {
      await probe.close();
    }
    const suffix = uniqueSuffix();
    const databases = Object.fromEntries(
      services.map((facts) => [facts.name, `${facts.database}_bench_${suffix}`]),
    );
    const platform = new BenchPlatform(services, databases, []);
    try {
      // The first process of each service creates its database and runs the migrations alone.
      for (let replica = 0; replica < shape.replicas; replica += 1) {
        // Settled, not all: a start that fails must not leave the others' processes running unseen.
        const started = await Promise.allSettled(
          services.map(async (facts) => ({
            service: facts.name,
            replica,
            process: await startService(
              facts.app,
              {
                RABBITMQ_URL: rabbitmqUrl,
                DATABASE_URL: databaseUrl(databases[facts.name]),
                PORT: String(await freePort()),
                LOG_LEVEL: 'warn',
                OTEL_TRACES_EXPORTER: 'none',
                ...shape.environment,
              },
              60_000,
            ),
          })),
        );
        for (const result of started)
          if (result.status === 'fulfilled') platform.processes.push(result.value);
        const failed = started.find((result) => result.status === 'rejected');
        if (failed) throw failed.reason;
      }
    } catch (error) {
      await platform.stop();
      throw error;
    }
    return platform;
  }

  /** Base URLs of every process of a service. */
  urls(service: string): string[] {
    return this.processes.filter((entry) => entry.service === service).map((entry) => entry.process.url);
  }

  url(service: string): string {
    return this.urls(service)[0];
  }

  async stop(): Promise<void> {
    await Promise.all(this.processes.map((entry) => entry.process.stop()));
    await Promise.all(Object.values(this.databases).map((database) => dropDatabase(database)));
  }
}

/** What `npm run start:<service>` does first: declares the whole system's queues and bindings. */
function applyTopology(rabbitmqUrl: string): void {
  const result = spawnSync(
    process.execPath,
    [join(distDir, 'libs', 'messaging', 'src', 'cli', 'topology.js'), 'apply'],
    {
      cwd: repositoryRoot,
      env: { ...process.env, RABBITMQ_URL: rabbitmqUrl },
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  if (result.status !== 0) {
    throw new Error(`topology apply failed (${result.status}): ${result.stderr || result.stdout}`);
  }
}
