/**
 * The services of this repository, read from `apps/<name>-service/service.json`: the one list that tests,
 * the compose test, the generator and deployment tooling derive everything from. A service exists when its
 * folder has that manifest; removing the folder removes it from every derived list.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/** The repository's root folder (this file lives at libs/workspace/src, or dist/libs/workspace/src). */
export const repositoryRoot = (() => {
  let folder = resolve(__dirname);
  while (!existsSync(join(folder, 'nest-cli.json'))) {
    const parent = resolve(folder, '..');
    if (parent === folder) throw new Error(`no nest-cli.json above ${__dirname}: not inside the repository`);
    folder = parent;
  }
  return folder;
})();

/** A service's short name: lowercase words joined by single hyphens, e.g. `order` or `loyalty-points`. */
export const serviceNamePattern = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const manifestSchema = z.strictObject({
  name: z.string().regex(serviceNamePattern),
  port: z.number().int().min(1024).max(65535),
  database: z.string().regex(/^[a-z][a-z0-9_]*$/),
  description: z.string().min(1),
});

/** What `apps/<name>-service/service.json` says about one service. */
export type ServiceManifest = z.output<typeof manifestSchema>;

/** One service with the names derived from it by convention, the same everywhere. */
export interface ServiceFacts extends ServiceManifest {
  /** Folder and process name, e.g. `order-service`. */
  readonly app: string;
  /** PostgreSQL login role, e.g. `order_service`. */
  readonly databaseRole: string;
  /** RabbitMQ user, e.g. `order-service`. */
  readonly brokerUser: string;
  /** Prefix of its deployment variables, e.g. `ORDER_SERVICE` (`ORDER_SERVICE_DB_PASSWORD`). */
  readonly environmentPrefix: string;
}

/** The facts derived from a manifest. */
export function factsOf(manifest: ServiceManifest): ServiceFacts {
  const app = `${manifest.name}-service`;
  return {
    ...manifest,
    app,
    databaseRole: app.replaceAll('-', '_'),
    brokerUser: app,
    environmentPrefix: app.replaceAll('-', '_').toUpperCase(),
  };
}

/** Reads and checks one manifest; the error names the file and what is wrong with it. */
export function readManifest(file: string, folderName: string): ServiceManifest {
  const parsed = manifestSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new Error(`${file}: ${problems.join('; ')}`);
  }
  if (`${parsed.data.name}-service` !== folderName) {
    throw new Error(`${file}: name "${parsed.data.name}" does not match its folder ${folderName}`);
  }
  return parsed.data;
}

/**
 * Every service, order-service first (the front door), then by name. Checks that ports and databases are
 * not shared, so a copy-paste mistake in a manifest shows here rather than as a port clash at run time.
 */
export function listServices(root = repositoryRoot): ServiceFacts[] {
  const apps = join(root, 'apps');
  const services = readdirSync(apps)
    .filter((folder) => folder.endsWith('-service') && existsSync(join(apps, folder, 'service.json')))
    .map((folder) => factsOf(readManifest(join(apps, folder, 'service.json'), folder)))
    .sort((a, b) => (a.name === 'order' ? -1 : b.name === 'order' ? 1 : a.name.localeCompare(b.name)));
  for (const key of ['port', 'database'] as const) {
    const seen = new Map<unknown, string>();
    for (const service of services) {
      const other = seen.get(service[key]);
      if (other) throw new Error(`${other} and ${service.app} both use ${key} ${service[key]}`);
      seen.set(service[key], service.app);
    }
  }
  return services;
}

/** One service by short name; the error lists the ones that exist. */
export function serviceNamed(name: string, root = repositoryRoot): ServiceFacts {
  const services = listServices(root);
  const found = services.find((service) => service.name === name || service.app === name);
  if (!found) throw new Error(`no service "${name}"; there are ${services.map((s) => s.name).join(', ')}`);
  return found;
}
