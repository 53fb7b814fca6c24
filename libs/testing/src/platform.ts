/** The whole system for end-to-end tests: every service of the repository in its own ServiceHarness. */
import { listServices } from '@platform/workspace';
import { HttpClient } from './http-client';
import { ServiceHarness } from './service-harness';
import { ServiceProcess } from './service-process';

/** Every service of the repository (each apps/<name>-service/service.json), by short name. */
const names = listServices().map((service) => service.name);
type Short = string;

/** Every service started as a separate process on fresh databases and free ports. */
export interface Platform {
  /**
   * Each service's harness. What a harness captures as sent comes from the shared exchanges, so with every
   * service running it also holds the commands other services send to the ones it does not own.
   */
  harnesses: Record<Short, ServiceHarness>;
  /** Each started service's current process. */
  services: Record<Short, ServiceProcess>;
  http: Record<Short, HttpClient>;
  env: Record<Short, Readonly<Record<string, string>>>;
  /** Starts a stopped (or not yet started) service again with the same database and port. */
  restart(service: Short): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts every service of the repository, each in a ServiceHarness; `env` adds variables per service and
 * `common` to all of them. Services named in `later` are not started until `restart` is called for them.
 */
export async function startPlatform(
  env: Partial<Record<Short, Record<string, string>>> = {},
  common: Record<string, string> = {},
  { later = [] }: { later?: Short[] } = {},
): Promise<Platform> {
  const prepared = await Promise.allSettled(
    names.map((name) =>
      ServiceHarness.prepare(name, { env: { MESSAGING_RETRY_BASE_MS: '200', ...common, ...env[name] } }),
    ),
  );
  const harnesses = Object.fromEntries(
    prepared.flatMap((result, index) =>
      result.status === 'fulfilled' ? [[names[index], result.value]] : [],
    ),
  ) as Record<Short, ServiceHarness>;
  const services: Record<Short, ServiceProcess> = {};
  const stop = async () => {
    await Promise.all(Object.values(harnesses).map((harness) => harness.stop()));
  };
  const restart = async (service: Short) => {
    await harnesses[service].restart();
    services[service] = harnesses[service].service;
  };
  try {
    const failed = prepared.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    await Promise.all(names.filter((name) => !later.includes(name)).map(restart));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    harnesses,
    services,
    http: Object.fromEntries(names.map((name) => [name, harnesses[name].http])),
    env: Object.fromEntries(names.map((name) => [name, harnesses[name].env])),
    restart,
    stop,
  };
}
