/**
 * `npm run generate:service -- <name> [--description "..."]`: adds `apps/<name>-service`, a working service on
 * the next free port from 3004, with its messages in libs/contracts and its entries in compose, the broker
 * definitions, Prometheus, nest-cli.json, package.json and the READMEs; then builds and regenerates the broker
 * topology in deploy/rabbitmq/definitions.json and the Kubernetes manifests in deploy/k8s/base/generated.
 * docs/new-service.md walks through it.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { applyPlan, planService, ServiceNameRefused } from '../generator/service-generator';
import { repositoryRoot } from '../services';

const usage = 'usage: npm run generate:service -- <name> [--description "what it is for"]';

function parseArguments(argv: string[]): { name?: string; description?: string } {
  const parsed: { name?: string; description?: string } = {};
  for (let index = 0; index < argv.length; index += 1) {
    if (argv[index] === '--description') parsed.description = argv[++index];
    else if (!parsed.name) parsed.name = argv[index];
    else throw new ServiceNameRefused(`one service at a time: "${argv[index]}" is one name too many`);
  }
  return parsed;
}

/**
 * Compiles the repository (the new service and contracts included), then writes the broker topology and the
 * Kubernetes manifests that derive from the services (deploy/k8s/base/generated).
 */
function buildAndWriteTopology(): void {
  const run = (command: string, args: string[]) =>
    execFileSync(command, args, { cwd: repositoryRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  console.log('generate:service: building');
  run('npm', ['run', '--silent', 'build']);
  console.log('generate:service: writing the broker topology into deploy/rabbitmq/definitions.json');
  run(process.execPath, [
    join(repositoryRoot, 'dist/libs/messaging/src/cli/topology.js'),
    'definitions',
    'deploy/rabbitmq/definitions.json',
  ]);
  run(join(repositoryRoot, 'node_modules/.bin/prettier'), [
    '--write',
    '--log-level',
    'warn',
    'deploy/rabbitmq/definitions.json',
  ]);
  console.log('generate:service: writing the Kubernetes manifests into deploy/k8s/base/generated');
  run(process.execPath, [join(repositoryRoot, 'dist/libs/workspace/src/cli/generate-k8s.js')]);
}

async function main(): Promise<number> {
  const { name, description } = parseArguments(process.argv.slice(2));
  if (!name || name.startsWith('-')) {
    console.error(usage);
    return 2;
  }
  const plan = await planService(name, { description });
  await applyPlan(plan, buildAndWriteTopology);
  const { app } = plan.names;
  console.log(`generate:service: created apps/${app} on port ${plan.port}`);
  for (const file of Object.keys(plan.created)) console.log(`  + ${file}`);
  for (const file of Object.keys(plan.edited)) console.log(`  ~ ${file}`);
  const next: Array<[string, string]> = [
    [`npm run start:${app}`, `start it (http://localhost:${plan.port}/docs)`],
    [`npx jest apps/${app}`, 'its unit and integration specs'],
    ['npm run lint && npm test', 'everything'],
    ['docs/new-service.md', 'what each file is for, and how to grow or remove the service'],
  ];
  const width = Math.max(...next.map(([command]) => command.length)) + 3;
  console.log(
    ['', 'Next:', ...next.map(([command, what]) => `  ${command.padEnd(width)}${what}`)].join('\n'),
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`generate:service: ${error.message}`);
    if (!(error instanceof ServiceNameRefused)) console.error('generate:service: nothing was changed');
    process.exit(error instanceof ServiceNameRefused ? 2 : 1);
  },
);
