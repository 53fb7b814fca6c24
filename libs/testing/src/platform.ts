import { listServices } from '@platform/workspace';
import { BrokerProbe } from './broker-probe';
import { freePorts } from './free-port';
import { databaseUrl, dropDatabase } from './database-probe';
import { httpClient } from './http-client';
import { ServiceProcess, startService } from './service-process';
import { uniqueSuffix } from './wait-for';

/** Every service of the repository (each apps/<name>-service/service.json), by short name. */
const names = listServices().map((service) => service.name);
type Short = string;

/** Every service's queues, so a run starts without leftovers of earlier test files. */
const queuesOf = (service: Short) => [`${service}.commands`, `${service}.events`];

/** Every service started as a separate process on fresh databases and free ports. */
export interface Platform {
  services: Record<Short, ServiceProcess>;
  http: Record<Short, ReturnType<typeof httpClient>>;
  env: Record<Short, Record<string, string>>;
  /** Starts a stopped service again with the same database and port. */
  restart(service: Short): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts every service of the repository; `env` adds variables per service and
 * `common` to all of them. Services named in `later` are not started until `restart` is called for them.
 */
export async function startPlatform(
  env: Partial<Record<Short, Record<string, string>>> = {},
  common: Record<string, string> = {},
  { later = [] }: { later?: Short[] } = {},
): Promise<Platform> {
  const run = uniqueSuffix();
  const probe = await BrokerProbe.open(common.RABBITMQ_URL);
  await probe.purge(...names.flatMap(queuesOf));
  await probe.close();
  const ports = await freePorts(names.length);
  const environments = Object.fromEntries(
    names.map((name, index) => [
      name,
      {
        PORT: String(ports[index]),
        DATABASE_URL: databaseUrl(`${name}_e2e_${run}`),
        MESSAGING_RETRY_BASE_MS: '200',
        ...common,
        ...env[name],
      },
    ]),
  ) as unknown as Record<Short, Record<string, string>>;
  const now = names.filter((name) => !later.includes(name));
  const started = await Promise.all(
    now.map((name) => startService(`${name}-service`, environments[name], 60_000)),
  );
  const services = Object.fromEntries(now.map((name, index) => [name, started[index]])) as Record<
    Short,
    ServiceProcess
  >;
  const http = Object.fromEntries(
    names.map((name) => [name, httpClient(`http://127.0.0.1:${environments[name].PORT}`)]),
  ) as Platform['http'];
  return {
    services,
    http,
    env: environments,
    async restart(service) {
      services[service] = await startService(`${service}-service`, environments[service], 60_000);
    },
    async stop() {
      await Promise.all(names.map((name) => services[name]?.stop()));
      await Promise.all(names.map((name) => dropDatabase(`${name}_e2e_${run}`)));
    },
  };
}
