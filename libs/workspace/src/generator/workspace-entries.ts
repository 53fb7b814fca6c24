/**
 * The entries a new service adds to files the whole repository shares: one function per file, each taking
 * the file's text and returning it with the service's entry, or throwing when the place to put it is not
 * where the generator expects (a hand-edited file is reported rather than mangled).
 */
import { ServiceNames } from './service-names';

/** A file's text could not take the new entry: what was looked for, in which file. */
export class EntryPlaceNotFound extends Error {
  constructor(file: string, what: string) {
    super(
      `${file}: cannot find ${what}; add the entry by hand (see docs/new-service.md) or restore the file`,
    );
  }
}

/** Inserts `lines` after the last line matching `pattern` (within [from, to) lines if given). */
function insertAfterLast(text: string, pattern: RegExp, lines: string[], file: string, what: string): string {
  const all = text.split('\n');
  let index = -1;
  all.forEach((line, at) => {
    if (pattern.test(line)) index = at;
  });
  if (index < 0) throw new EntryPlaceNotFound(file, what);
  all.splice(index + 1, 0, ...lines);
  return all.join('\n');
}

/** package.json: `npm run start:<name>-service`, after the other services' start scripts. */
export function withStartScript(text: string, { app }: ServiceNames): string {
  const manifest = JSON.parse(text) as { scripts?: Record<string, string> };
  const entries = Object.entries(manifest.scripts ?? {});
  const last = entries.map(([key]) => key).findLastIndex((key) => /^start:.+-service$/.test(key));
  if (last < 0) throw new EntryPlaceNotFound('package.json', 'the start:<service> scripts');
  entries.splice(last + 1, 0, [`start:${app}`, `node scripts/start-service.mjs ${app}`]);
  return JSON.stringify({ ...manifest, scripts: Object.fromEntries(entries) }, null, 2) + '\n';
}

/** nest-cli.json: the service as a project of the monorepo. */
export function withNestProject(text: string, { app }: ServiceNames): string {
  const config = JSON.parse(text) as { projects?: Record<string, object> };
  if (!config.projects) throw new EntryPlaceNotFound('nest-cli.json', 'projects');
  const projects = Object.entries(config.projects);
  const lastApp = projects.findLastIndex(([key]) => key.endsWith('-service'));
  projects.splice(lastApp + 1, 0, [
    app,
    { type: 'application', root: `apps/${app}`, entryFile: 'main', sourceRoot: `apps/${app}/src` },
  ]);
  return JSON.stringify({ ...config, projects: Object.fromEntries(projects) }, null, 2) + '\n';
}

/** libs/contracts/src/index.ts: exports of the service's two messages. */
export function withContractExports(text: string, { name }: ServiceNames): string {
  return (
    text.trimEnd() +
    `\nexport * from './${name}/start-${name}-job';\nexport * from './${name}/${name}-job-completed';\n`
  );
}

/** libs/contracts/src/consumers.ts: the service consumes its own command (its work queue is declared from this). */
export function withConsumerEntry(text: string, { name, pascal }: ServiceNames): string {
  const file = 'libs/contracts/src/consumers.ts';
  const withImport = insertAfterLast(
    text,
    /^import .* from '\.\/.*';$/,
    [`import { Start${pascal}Job } from './${name}/start-${name}-job';`],
    file,
    'the imports of messages',
  );
  const key = /^[a-z][a-zA-Z0-9]*$/.test(name) ? name : `'${name}'`;
  const registryStart = withImport.indexOf('export const consumers');
  const registryEnd = withImport.indexOf('\n};', registryStart);
  if (registryStart < 0 || registryEnd < 0)
    throw new EntryPlaceNotFound(file, 'export const consumers = { ... };');
  return (
    withImport.slice(0, registryEnd) +
    `\n  ${key}: { commands: [Start${pascal}Job] },` +
    withImport.slice(registryEnd)
  );
}

/** docker-compose.yml: the database variables init.sh reads, and the service itself. */
export function withComposeService(text: string, names: ServiceNames, port: number): string {
  const { app, snake, environmentPrefix: prefix } = names;
  const file = 'docker-compose.yml';
  const role = snake + '_service';
  const withDatabase = insertAfterLast(
    text,
    /^ {6}[A-Z0-9_]+_SERVICE_DB_MIGRATION_PASSWORD: /,
    [
      `      ${prefix}_DB: ${snake}`,
      `      ${prefix}_DB_PASSWORD: \${${prefix}_DB_PASSWORD:-${role}}`,
      `      ${prefix}_DB_MIGRATION_PASSWORD: \${${prefix}_DB_MIGRATION_PASSWORD:-${role}_migrator}`,
    ],
    file,
    'the <SERVICE>_DB_MIGRATION_PASSWORD variables of postgres',
  );
  const volumes = withDatabase.lastIndexOf('\nvolumes:\n');
  if (volumes < 0) throw new EntryPlaceNotFound(file, 'the top-level volumes: section');
  const block = [
    '',
    `  ${app}:`,
    '    <<: *app-common',
    '    environment:',
    '      <<: *app-env',
    `      APP: ${app}`,
    `      PORT: '${port}'`,
    `      OTEL_SERVICE_NAME: ${app}`,
    `      DATABASE_URL: postgres://${role}:\${${prefix}_DB_PASSWORD:-${role}}@postgres:5432/${snake}`,
    `      DATABASE_MIGRATION_URL: postgres://${role}_migrator:\${${prefix}_DB_MIGRATION_PASSWORD:-${role}_migrator}@postgres:5432/${snake}`,
    `      RABBITMQ_URL: amqp://${app}:\${${prefix}_AMQP_PASSWORD:-${app}}@rabbitmq:5672`,
    '    ports:',
    `      - '\${${prefix}_HOST_PORT:-${port}}:${port}'`,
  ].join('\n');
  return withDatabase.slice(0, volumes) + block + '\n' + withDatabase.slice(volumes);
}

/** deploy/prometheus/prometheus.yml: scrape the service's /metrics. */
export function withScrapeTarget(text: string, { app }: ServiceNames, port: number): string {
  return insertAfterLast(
    text,
    /^ {8}labels: \{ service: [a-z0-9-]+-service \}$/,
    [`      - targets: ['${app}:${port}']`, `        labels: { service: ${app} }`],
    'deploy/prometheus/prometheus.yml',
    'the services job targets',
  );
}

/** README.md: the service's row in the table of what runs where. */
export function withReadmeRow(text: string, { app }: ServiceNames, port: number): string {
  return insertAfterLast(
    text,
    /^\| [a-z0-9-]+-service +\| http:\/\/localhost:\d+/,
    [`| ${app} | http://localhost:${port} (\`/docs\`) |`],
    'README.md',
    'the table of services and their URLs',
  );
}

/** deploy/README.md: the service's broker user and database role in the table of credentials. */
export function withCredentialRows(text: string, names: ServiceNames): string {
  const { app, name, snake, environmentPrefix: prefix } = names;
  const file = 'deploy/README.md';
  const role = `${snake}_service`;
  const withBroker = insertAfterLast(
    text,
    /^\| RabbitMQ, [a-z0-9 -]+ service +\|/,
    [`| RabbitMQ, ${name} service | \`${app}\` | \`${app}\` | \`${prefix}_AMQP_PASSWORD\` |`],
    file,
    'the RabbitMQ service users in the credentials table',
  );
  return insertAfterLast(
    withBroker,
    /^\| PostgreSQL, db `[a-z0-9_]+`[^|]*\|/,
    [
      `| PostgreSQL, db \`${snake}\` | \`${role}\` | \`${role}\` | \`${prefix}_DB_PASSWORD\` |`,
      `| PostgreSQL, db \`${snake}\` (migrations) | \`${role}_migrator\` | \`${role}_migrator\` | \`${prefix}_DB_MIGRATION_PASSWORD\` |`,
    ],
    file,
    'the PostgreSQL service roles in the credentials table',
  );
}

/** RabbitMQ definitions (deploy/rabbitmq/definitions.json): the service's user and permissions. */
export function withBrokerUser(text: string, entry: { user: { name: string }; permission: object }): string {
  const definitions = JSON.parse(text) as { users?: object[]; permissions?: object[] };
  if (!definitions.users || !definitions.permissions) {
    throw new EntryPlaceNotFound('deploy/rabbitmq/definitions.json', 'users and permissions');
  }
  definitions.users.push(entry.user);
  definitions.permissions.push(entry.permission);
  return JSON.stringify(definitions, null, 2) + '\n';
}
