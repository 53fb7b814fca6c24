/**
 * Plans and applies `npm run generate:service -- <name>`: every new file and every generated entry in shared
 * files is computed and formatted first, then written; if anything fails on the way (including the build
 * and the broker definitions that follow), every file is put back as it was. A refused name changes nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as prettier from 'prettier';
import { listServices, repositoryRoot } from '../services';
import { nameProblem, namesOf, nextFreePort, ServiceNames, shortNameOf } from './service-names';
import { serviceFiles } from './service-templates';
import {
  withBrokerUser,
  withComposeService,
  withConsumerEntry,
  withContractExports,
  withCredentialRows,
  withNestProject,
  withReadmeRow,
  withScrapeTarget,
  withStartScript,
} from './workspace-entries';

/** A name the generator refuses; nothing was changed. */
export class ServiceNameRefused extends Error {}

/** What `generate:service` will write: new files, and new contents of shared files, by repository path. */
export interface ServicePlan {
  names: ServiceNames;
  port: number;
  created: Record<string, string>;
  edited: Record<string, string>;
}

/** Computes everything a new service writes, without writing; throws ServiceNameRefused for a bad name. */
export async function planService(
  requested: string,
  { root = repositoryRoot, description }: { root?: string; description?: string } = {},
): Promise<ServicePlan> {
  const existing = listServices(root);
  const problem = nameProblem(requested, existing);
  if (problem) throw new ServiceNameRefused(problem);
  const names = namesOf(shortNameOf(requested));
  for (const folder of [`apps/${names.app}`, `libs/contracts/src/${names.name}`]) {
    if (existsSync(join(root, folder)))
      throw new ServiceNameRefused(`${folder} already exists; choose another name`);
  }
  const port = nextFreePort(existing);
  const created = serviceFiles({
    names,
    port,
    description: description ?? `${names.app}: describe what it is for in apps/${names.app}/service.json`,
    migrationTimestamp: Date.now(),
  });
  const read = (file: string) => readFileSync(join(root, file), 'utf8');
  const brokerUser = JSON.parse(
    execFileSync(
      process.execPath,
      [join(root, 'deploy/rabbitmq/hash-password.mjs'), '--service', names.name],
      {
        encoding: 'utf8',
      },
    ),
  ) as { user: { name: string }; permission: object };
  const edited: Record<string, string> = {
    'package.json': withStartScript(read('package.json'), names),
    'nest-cli.json': withNestProject(read('nest-cli.json'), names),
    'libs/contracts/src/index.ts': withContractExports(read('libs/contracts/src/index.ts'), names),
    'libs/contracts/src/consumers.ts': withConsumerEntry(read('libs/contracts/src/consumers.ts'), names),
    'docker-compose.yml': withComposeService(read('docker-compose.yml'), names, port),
    'deploy/prometheus/prometheus.yml': withScrapeTarget(
      read('deploy/prometheus/prometheus.yml'),
      names,
      port,
    ),
    'deploy/rabbitmq/definitions.json': withBrokerUser(read('deploy/rabbitmq/definitions.json'), brokerUser),
    'README.md': withReadmeRow(read('README.md'), names, port),
    'deploy/README.md': withCredentialRows(read('deploy/README.md'), names),
  };
  return { names, port, created: await formatted(created, root), edited: await formatted(edited, root) };
}

/** Formats every file as `npm run format` would, so the generated service passes `npm run lint` as is. */
async function formatted(files: Record<string, string>, root: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const [file, text] of Object.entries(files)) {
    const filepath = join(root, file);
    const options = (await prettier.resolveConfig(filepath)) ?? {};
    result[file] = await prettier.format(text, { ...options, filepath });
  }
  return result;
}

/**
 * Writes a plan, then runs `after` (the build and the broker definitions); puts every file back as it was
 * if writing or `after` fails, and rethrows.
 */
export async function applyPlan(plan: ServicePlan, after: () => void, root = repositoryRoot): Promise<void> {
  const originals = Object.fromEntries(
    Object.keys(plan.edited).map((file) => [file, readFileSync(join(root, file), 'utf8')]),
  );
  const createdFolders = [`apps/${plan.names.app}`, `libs/contracts/src/${plan.names.name}`];
  try {
    for (const [file, text] of Object.entries({ ...plan.created, ...plan.edited })) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), text);
    }
    after();
  } catch (error) {
    for (const folder of createdFolders) rmSync(join(root, folder), { recursive: true, force: true });
    for (const [file, text] of Object.entries(originals)) writeFileSync(join(root, file), text);
    throw error;
  }
}
